export { Policy, policyFor, type GroupForPolicy, type PolicyResource, type Reach } from './engine.js';
export { loadOrgSnapshot, strategyCovers, type OrgSnapshot } from './org-snapshot.js';
export { forbidden, requireEmployeeActor, type EmployeeActor } from './refuse.js';
export { allPermissions, permissions, type Permission } from './registry.js';
export { appPermissions, builtInRoleDefinitions, type DataScope, type RoleDefinition } from './roles.js';
export { authorizeRuleActions, authorizeTemplateGroup, type RuleActionTarget } from './rule.js';
