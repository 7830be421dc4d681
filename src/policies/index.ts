export { abilitiesFor, authorize, can, type PolicyResource } from './engine.js';
export { allPermissions, permissions, type Permission } from './registry.js';
export { builtInRoles } from './roles.js';
