import { type Ctx, type Source, systemContext, withTx } from '../context.js';
import type { Db } from '../db/client.js';
import { addCustomers, type NewCustomer } from '../modules/customers/commands/add-customers.js';
import { addEmployees } from '../modules/org/commands/add-org.js';
import { createCorp } from '../modules/org/commands/create-corp.js';
import { addTags } from '../modules/tags/commands/add-tags.js';

let counter = 0;
/** A short unique suffix so factories never collide inside one database. */
export function unique(prefix = ''): string {
  counter += 1;
  return `${prefix}${process.pid.toString(36)}${counter.toString(36)}`;
}

/** A context acting as the corp's customer-contact app (full access, as WeCom's 客户联系 secret). */
export function appCtx(db: Db, corpId: string, source: Source = 'api'): Ctx {
  return { corpId, actor: { kind: 'app', appId: 'customer_contact', appKind: 'customer_contact' }, source, db };
}

/** A context acting as one employee with a built-in role. */
export function employeeCtx(db: Db, corpId: string, userid: string, role = 'staff'): Ctx {
  return { corpId, actor: { kind: 'employee', userid, role }, source: 'api', db };
}

/** Creates a corp (and its customer-contact secret) with a unique corpid. */
export async function buildCorp(db: Db, opts: { corpId?: string; settings?: Record<string, number> } = {}) {
  const corpId = opts.corpId ?? unique('ww');
  const created = await createCorp(db, { corpId, name: `测试企业${corpId}`, settings: opts.settings });
  return { ...created, ctx: appCtx(db, corpId) };
}

/** Creates employees (active, in department 1) and returns their userids. */
export async function buildEmployees(ctx: Ctx, count: number, role = 'staff'): Promise<string[]> {
  const rows = Array.from({ length: count }, () => {
    const userid = unique('u');
    return { userid, name: `员工${userid}`, departmentIds: [1], role };
  });
  await withTx(systemContext(ctx.db, ctx.corpId), (tx) => addEmployees(tx, rows));
  return rows.map((r) => r.userid);
}

/** Creates one customer followed by the given employees and returns its external_userid. */
export async function buildCustomer(ctx: Ctx, followers: string[], overrides: Partial<NewCustomer> = {}): Promise<string> {
  const [id] = await withTx(systemContext(ctx.db, ctx.corpId), (tx) =>
    addCustomers(tx, [{ name: `客户${unique()}`, follows: followers.map((userid) => ({ userid })), ...overrides }]),
  );
  return id!;
}

/** Creates a corp tag group with the named tags. */
export async function buildTagGroup(ctx: Ctx, tagNames: string[], groupName = unique('组')) {
  return withTx(ctx, (tx) => addTags(tx, { groupName, tags: tagNames.map((name) => ({ name })), onExistingName: 'create' }));
}
