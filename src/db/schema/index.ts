export * from './org.js';
export * from './customers.js';
export * from './tags.js';
export * from './events.js';
export * from './strategies.js';
export * from './audiences.js';
export * from './operations.js';
export * from './group-chats.js';
