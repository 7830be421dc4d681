import { sql } from 'drizzle-orm';
import { bigint, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

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
  settings: jsonb('settings').$type<Partial<CorpSettings>>().notNull().default({}),
  // Bumped by every tag-library command; caches of the tag list compare against it.
  tagVersion: bigint('tag_version', { mode: 'number' }).notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * An app holding a secret: the customer-contact secret (`customer_contact`, full access as in
 * WeCom) or an ordinary app. Only the SHA-256 of the secret is stored.
 */
export const apps = pgTable(
  'apps',
  {
    corpId: text('corp_id').notNull().references(() => corps.corpId, { onDelete: 'cascade' }),
    appId: text('app_id').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['customer_contact', 'app'] }).notNull(),
    secretHash: text('secret_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.appId] }), uniqueIndex('apps_secret_hash_uq').on(t.secretHash)],
);

/** Access tokens from `gettoken`, stored as SHA-256 so a database dump leaks no usable token. */
export const accessTokens = pgTable('access_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  corpId: text('corp_id').notNull().references(() => corps.corpId, { onDelete: 'cascade' }),
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
    corpId: text('corp_id').notNull().references(() => corps.corpId, { onDelete: 'cascade' }),
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
    corpId: text('corp_id').notNull().references(() => corps.corpId, { onDelete: 'cascade' }),
    userid: text('userid').notNull(),
    name: text('name').notNull(),
    departmentIds: integer('department_ids').array().notNull().default(sql`'{}'::integer[]`),
    role: text('role').notNull().default('staff'),
    status: text('status', { enum: ['active', 'left'] }).notNull().default('active'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.userid] })],
);
