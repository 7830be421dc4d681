/** Base rights every rule group has; WeCom reports them as always true (wecom-api.md §3.2). */
export const basePrivileges = ['view_customer_list', 'view_customer_data', 'view_room_list', 'contact_me', 'join_room'] as const;

/** Rights a top-level rule group may grant or withhold; `manage_customer_tag` defaults to true, the rest to false. */
export const optionalPrivileges = [
  'share_customer',
  'oper_resign_customer',
  'oper_resign_group',
  'send_customer_msg',
  'edit_welcome_msg',
  'view_behavior_data',
  'view_room_data',
  'send_group_msg',
  'room_deduplication',
  'rapid_reply',
  'onjob_customer_transfer',
  'edit_anti_spam_rule',
  'export_customer_list',
  'export_customer_data',
  'export_customer_group_list',
  'manage_customer_tag',
] as const;

/** A rule group's privilege flags, every key present. */
export type Privilege = Record<(typeof basePrivileges)[number] | (typeof optionalPrivileges)[number], boolean>;

/** Privilege flags as a caller sends them: any subset. */
export type PrivilegeInput = Partial<Record<keyof Privilege, boolean | null | undefined>>;

/**
 * Fills in a privilege object the way WeCom stores one: base rights forced on, absent optional
 * rights at their defaults. Stored rows are always complete, so reads never guess.
 * @example normalizePrivilege({ share_customer: true }).manage_customer_tag // true
 */
export function normalizePrivilege(input: PrivilegeInput | undefined): Privilege {
  const out = {} as Privilege;
  for (const key of basePrivileges) out[key] = true;
  for (const key of optionalPrivileges) out[key] = input?.[key] ?? key === 'manage_customer_tag';
  return out;
}

/** Whether a caller sent any privilege flag; on edit an empty object means "unchanged", as WeCom documents. */
export function hasPrivilegeInput(input: PrivilegeInput | undefined): input is PrivilegeInput {
  return !!input && Object.values(input).some((v) => typeof v === 'boolean');
}
