/**
 * The choices of a subscription's event filter: `*` (everything), one `prefix.*` per resource, then
 * every event type, as the server accepts them (an entry matching nothing is refused there).
 */
export function eventFilterOptions(types: readonly string[]): string[] {
  const prefixes = [...new Set(types.map((type) => type.split('.')[0]!))].map((prefix) => `${prefix}.*`);
  return ['*', ...prefixes, ...types];
}

/** Whether a filter entry matches an event type: exact, `prefix.*`, or `*`. */
export function filterMatches(entry: string, type: string): boolean {
  if (entry === '*') return true;
  if (entry.endsWith('.*')) return type.startsWith(entry.slice(0, -1));
  return entry === type;
}

/** Filter entries that match no known event type (the form flags them before the server refuses them). */
export function unknownEntries(entries: readonly string[], types: readonly string[]): string[] {
  return entries.filter((entry) => !types.some((type) => filterMatches(entry, type)));
}

/** Colour of a delivery's status tag (antd presets whose text keeps AA contrast on their tint). */
export const deliveryStatusColour = { pending: 'processing', delivered: 'success', dead: 'error' } as const;
