import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { MomentSettings } from '../../../contracts/moments.js';

/** Per-corp limits (DESIGN.md §4); stored as JSON so later issues can add settings without a migration. */
export type CorpSettings = {
  nameMaxLength: number;
  tagsPerGroup: number;
  corpTagsMax: number;
};

/** A tenant. `corp_id` is WeCom's corpid (`ww…`) and leads every other key. */
export const corps = pgTable('corps', {
  corpId: text('corp_id').primaryKey(),
  name: text('name').notNull(),
  settings: jsonb('settings').$type<Partial<CorpSettings> & { moments?: Partial<MomentSettings> }>().notNull().default({}),
  // Bumped by every tag-library command; caches of the tag list compare against it.
  tagVersion: bigint('tag_version', { mode: 'number' }).notNull().default(0),
  // Bumped by every change to departments, employees, roles or app ranges; the cached org snapshot
  // the policy engine reads (in any process) compares against it.
  orgVersion: bigint('org_version', { mode: 'number' }).notNull().default(0),
  // Bumped by every change to Moments deliveries or suppressions (planned, cancelled, suppressed,
  // lifted): each process's cached cap and suppression bitmaps compare against it.
  momentVersion: bigint('moment_version', { mode: 'number' }).notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * An app holding a secret: the customer-contact secret (`customer_contact`, full access as in
 * WeCom) or an ordinary app. Only the SHA-256 of the secret is stored.
 */
export const apps = pgTable(
  'apps',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    appId: text('app_id').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['customer_contact', 'app'] }).notNull(),
    secretHash: text('secret_hash').notNull(),
    // An ordinary app reaches only its visible range (departments with their subtrees, and members);
    // the customer-contact app reaches the whole corp, as in WeCom.
    rangeDepartments: integer('range_departments').array().notNull().default(sql`'{}'::integer[]`),
    rangeUserids: text('range_userids').array().notNull().default(sql`'{}'::text[]`),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.appId] }), uniqueIndex('apps_secret_hash_uq').on(t.secretHash)],
);

/** Access tokens from `gettoken`, stored as SHA-256 so a database dump leaks no usable token. */
export const accessTokens = pgTable('access_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  corpId: text('corp_id')
    .notNull()
    .references(() => corps.corpId, { onDelete: 'cascade' }),
  appId: text('app_id').notNull(),
  // With the caller's secret, `issued_at` re-derives the same token, so gettoken can hand out the
  // still-valid token again (as WeCom does) without storing it.
  issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/** Department tree; `region` (华东, 华北…) drives regional scopes in later issues. */
export const departments = pgTable(
  'departments',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    deptId: integer('dept_id').notNull(),
    name: text('name').notNull(),
    parentId: integer('parent_id').notNull().default(0),
    region: text('region'),
    order: bigint('order', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.deptId] })],
);

/** Employees (WeCom members), addressed by `userid`. */
export const employees = pgTable(
  'employees',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    userid: text('userid').notNull(),
    name: text('name').notNull(),
    departmentIds: integer('department_ids').array().notNull().default(sql`'{}'::integer[]`),
    role: text('role').notNull().default('staff'),
    status: text('status', { enum: ['active', 'left'] })
      .notNull()
      .default('active'),
    // Console login: scrypt hash (node:crypto) of the password; null = no console access.
    passwordHash: text('password_hash'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.userid] })],
);

/** A role: permissions from the registry plus a data scope. Built-in roles are seeded per corp. */
export const roles = pgTable(
  'roles',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    roleId: text('role_id').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    permissions: text('permissions').array().notNull().default(sql`'{}'::text[]`),
    dataScope: text('data_scope', { enum: ['own', 'department', 'region', 'corp'] }).notNull(),
    builtIn: integer('built_in').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.roleId] })],
);

/** Console sessions; the cookie holds the token, the table only its SHA-256. */
export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  corpId: text('corp_id')
    .notNull()
    .references(() => corps.corpId, { onDelete: 'cascade' }),
  userid: text('userid').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/** Failed console logins, counted per (corp, username) and per IP to slow down guessing. */
export const loginFailures = pgTable(
  'login_failures',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    corpId: text('corp_id').notNull(),
    username: text('username').notNull(),
    ip: text('ip').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.id] }), index('login_failures_lookup_idx').on(t.corpId, t.username, t.at)],
);
