/** A tag picked in the filter bar: its name, its group's name, and whether it is a personal tag. */
export type PickedTag = { name: string; groupName: string; personal: boolean };

/** A string literal in the audience text syntax: double-quoted, with `"` and `\` escaped. */
function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The audience text the filter bar stands for: customers with ANY of the picked tags, AND the
 * free text typed by the user; undefined when there is no filter (everyone the user may see).
 * Enterprise tags are named with their group (`"客户等级/A级"`) so a name used in two groups is not
 * ambiguous; personal tags by their name alone.
 * @example audienceText([{ name: 'A级', groupName: '客户等级', personal: false }], 'region:华东')
 * // → '(tag:"客户等级/A级") and (region:华东)'
 */
export function audienceText(tags: readonly PickedTag[], text: string): string | undefined {
  const parts: string[] = [];
  if (tags.length > 0) parts.push(tags.map((t) => `tag:${quoted(t.personal || !t.groupName ? t.name : `${t.groupName}/${t.name}`)}`).join(' or '));
  if (text.trim() !== '') parts.push(text.trim());
  if (parts.length === 0) return undefined;
  return parts.length === 1 && tags.length === 0 ? parts[0] : parts.map((p) => `(${p})`).join(' and ');
}
