/**
 * Every event type the system records, named `resource.pastVerb`. The list is closed so consumers
 * (index, rules, webhooks in later issues) can switch over it exhaustively.
 */
export const eventTypes = [
  'corp.created',
  'corp.settings_changed',
  'app.created',
  'department.created',
  'employee.created',
  'employee.updated',
  'employee.password_set',
  'employee.password_changed',
  'employee.logged_in',
  'employee.logged_out',
  'department.updated',
  'department.deleted',
  'app.updated',
  'app.secret_rotated',
  'role.created',
  'role.updated',
  'role.deleted',
  'customer.created',
  'customer.transferred',
  'follow.created',
  'follow.remarked',
  'tag_group.created',
  'tag_group.updated',
  'tag_group.deleted',
  'tag_group.restored',
  'tag.created',
  'tag.updated',
  'tag.deleted',
  'tag.restored',
  'personal_tag.created',
  'personal_tag.renamed',
  'personal_tag.deleted',
  'follow.tags_changed',
  'strategy.created',
  'strategy.updated',
  'strategy.deleted',
] as const;

/** One of the recorded event types. */
export type EventType = (typeof eventTypes)[number];
