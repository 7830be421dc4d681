/** Something the quick jump can open: a page, a tag group or a tag. */
export type JumpTarget = { key: string; label: string; kind: 'page' | 'group' | 'tag'; path: string; hint?: string };

/** How to read a name for searching: lower case, and its pinyin initials (购买意向 → gmyx). */
export type Searchable = JumpTarget & { haystack: string; initials: string };

/**
 * The targets that match what was typed, best first: a name that starts with the text, then one
 * that contains it, then one whose pinyin initials start with it (so `gmyx` finds 购买意向).
 * Case and spaces are ignored; an empty query lists the pages.
 * @example rankTargets([{ …, label: '购买意向', initials: 'gmyx' }], 'gm') // → [购买意向]
 */
export function rankTargets(targets: readonly Searchable[], query: string, limit = 20): JumpTarget[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, '');
  if (q === '') return targets.filter((t) => t.kind === 'page').slice(0, limit);
  const scored: { target: Searchable; score: number }[] = [];
  for (const target of targets) {
    const name = target.haystack;
    let score = -1;
    if (name.startsWith(q)) score = 0;
    else if (name.includes(q)) score = 1;
    else if (target.initials.startsWith(q)) score = 2;
    else if (target.initials.includes(q)) score = 3;
    if (score >= 0) scored.push({ target, score });
  }
  scored.sort((a, b) => a.score - b.score || a.target.label.length - b.target.label.length);
  return scored.slice(0, limit).map((s) => s.target);
}
