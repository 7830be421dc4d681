/** Something the quick jump can open: a page, a tag group, a tag or a customer. */
export type JumpTarget = { key: string; label: string; kind: 'page' | 'group' | 'tag' | 'customer'; path: string; hint?: string };

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

/**
 * The local matches followed by the customers the server found by name (they are many, so they
 * are searched there, not loaded here), keeping the list at `limit`: local matches first, but at
 * least a few customers when there are some.
 * @example withCustomers(tags, [{ externalUserid: 'wm1', name: '张三', corpName: 'ACME' }]) // → [...tags, 张三]
 */
export function withCustomers(
  local: readonly JumpTarget[],
  customers: readonly { externalUserid: string; name: string; corpName: string }[],
  limit = 20,
  atLeast = 5,
): JumpTarget[] {
  const found = customers.map(
    (c): JumpTarget => ({
      key: `c:${c.externalUserid}`,
      label: c.name || c.externalUserid,
      kind: 'customer',
      path: `/customers?customer=${encodeURIComponent(c.externalUserid)}`,
      ...(c.corpName ? { hint: c.corpName } : {}),
    }),
  );
  const room = Math.max(limit - found.length, limit - Math.min(found.length, atLeast));
  return [...local.slice(0, room), ...found].slice(0, limit);
}
