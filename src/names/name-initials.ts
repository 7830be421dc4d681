import { pinyin } from 'pinyin-pro';

/**
 * The pinyin initials a customer is searched by: 张三 → zs, 林桂婷 → lgt, 绿茶 VIP-2号 → lcvip2h.
 * Chinese characters give the first letter of their default reading (pinyin-pro's choice for
 * polyphones); other letters and digits are kept, folded (NFKC, lower case); the rest is dropped.
 * The console's quick jump reads page and tag names the same way.
 */
export function nameInitials(name: string): string {
  const firsts = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' }).join('');
  return firsts
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Whether a search text may be pinyin initials: ASCII letters only (`zs`, `LGT`). */
export function looksLikeInitials(q: string): boolean {
  return /^[a-z]+$/i.test(q);
}

/** `q` as a literal LIKE prefix pattern: `\`, `%` and `_` escaped (the default escape is `\`), then `%`. */
export function likePrefix(q: string): string {
  return `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
