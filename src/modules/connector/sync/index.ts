/** The sync commands: changes read from WeCom (pull, callbacks) applied here through one write path. */
export { applyRemoteCustomer, normaliseFollows } from './customer.js';
export { ensureEmployees } from './employees.js';
export { removeRemoteFollow } from './remove-follow.js';
export { applyRemoteStrategyLibrary } from './strategy-library.js';
export { applyRemoteTagLibrary } from './tag-library.js';
export * from './types.js';
