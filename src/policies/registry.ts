/**
 * The typed registry of `resource.action` permissions. Each has a description for the console's
 * role editor and the permissions it depends on (granting it without them makes no sense).
 */
export const permissions = {
  'tagGroup.create': { description: 'Create enterprise tag groups', dependsOn: ['customer.view'] },
  'tagGroup.update': { description: 'Rename and reorder enterprise tag groups', dependsOn: ['customer.view'] },
  'tagGroup.delete': { description: 'Delete and restore enterprise tag groups', dependsOn: ['customer.view'] },
  'tag.create': { description: 'Add enterprise tags to groups', dependsOn: ['customer.view'] },
  'tag.update': { description: 'Edit enterprise tags (name, order, description, colour)', dependsOn: ['customer.view'] },
  'tag.delete': { description: 'Delete and restore enterprise tags', dependsOn: ['customer.view'] },
  'tag.apply': { description: 'Put enterprise tags on customers', dependsOn: ['customer.view'] },
  'tag.remove': { description: 'Take enterprise tags off customers', dependsOn: ['customer.view'] },
  'personalTag.manage': { description: 'Keep and apply one’s own personal tags', dependsOn: ['customer.view'] },
  'customer.view': { description: 'See customers and their tags', dependsOn: [] },
  'customer.update': { description: 'Edit remarks of followed customers', dependsOn: ['customer.view'] },
  'customer.export': { description: 'Export customers and their tags', dependsOn: ['customer.view'] },
  'customer.transfer': { description: 'Hand customers over between employees (在职/离职继承)', dependsOn: ['customer.view'] },
  'audience.manage': { description: 'Save, edit and delete shared audiences', dependsOn: ['customer.view'] },
  'customerEvent.record': { description: 'Record customers’ behaviour (links opened, live streams attended…) for audiences', dependsOn: ['customer.view'] },
  'rule.manage': { description: 'Manage tagging rules and smart groups', dependsOn: ['customer.view'] },
  'moment.publish': { description: 'Publish Moments to customers', dependsOn: ['customer.view'] },
  'role.manage': { description: 'Create and edit roles and grant them', dependsOn: [] },
  'org.manage': { description: 'Manage departments, employees and apps', dependsOn: [] },
  'strategy.manage': { description: 'Manage rule groups (规则组) and their tags', dependsOn: ['customer.view'] },
  'corp.settings': { description: 'Change corp settings such as tag limits', dependsOn: [] },
  'audit.view': { description: 'Read the audit log', dependsOn: [] },
} as const satisfies Record<string, { description: string; dependsOn: readonly string[] }>;

/** A permission name such as `tag.apply`. */
export type Permission = keyof typeof permissions;

/** Every permission name, in registry order. */
export const allPermissions = Object.keys(permissions) as Permission[];
