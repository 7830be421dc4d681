/**
 * Why a customer is on a group's suppression list, in words an operator reads in the audit log and
 * the list: the posts they marked not interested, in order, each with the start of its text when known.
 * @example suppressionReason(['mo1', 'mo2'], new Map([['mo1', '春节海报']])) // → 'not interested on posts mo1 “春节海报”, mo2'
 */
export function suppressionReason(momentIds: readonly string[], texts: ReadonlyMap<string, string> = new Map()): string {
  const named = momentIds.map((id) => {
    const text = texts.get(id)?.replace(/\s+/g, ' ').trim();
    if (!text) return id;
    const chars = [...text];
    return `${id} “${chars.length > 20 ? `${chars.slice(0, 20).join('')}…` : text}”`;
  });
  return `not interested on posts ${named.join(', ')}`;
}
