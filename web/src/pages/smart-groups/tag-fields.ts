/** A smart tag's fields besides its name and rule: colour (#RRGGBB, none until picked), order, description. */
export type TagFields = { color?: string; order?: number; description: string };

/** The fields of a saved tag as the editor starts from them (a tag without a colour has ''). */
export function fieldsOf(tag?: { color: string; order: number; description: string }): TagFields {
  return tag ? { color: tag.color || undefined, order: tag.order, description: tag.description } : { description: '' };
}

/**
 * What changed between the saved fields and the edited ones, as the PATCH body takes them: only
 * changed fields, and a colour only when one is picked (the contract has no "no colour").
 */
export function changedFields(before: TagFields, after: TagFields): Partial<TagFields> {
  const changes: Partial<TagFields> = {};
  if (after.color !== undefined && after.color !== before.color) changes.color = after.color;
  if (after.order !== undefined && after.order !== before.order) changes.order = after.order;
  if (after.description.trim() !== before.description) changes.description = after.description.trim();
  return changes;
}
