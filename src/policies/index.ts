export { type GroupForPolicy, Policy, type PolicyResource, policyFor, type Reach } from './engine.js';
export { loadOrgSnapshot, type OrgSnapshot, strategyCovers } from './org-snapshot.js';
export { type EmployeeActor, forbidden, requireEmployeeActor } from './refuse.js';
export { allPermissions, type Permission, permissions } from './registry.js';
export { appPermissions, builtInRoleDefinitions, type DataScope, type RoleDefinition } from './roles.js';
export { authorizeRuleActions, authorizeTemplateGroup, type RuleActionTarget } from './rule.js';
