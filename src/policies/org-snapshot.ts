import { eq } from 'drizzle-orm';
import { type Ctx, reader } from '../context.js';
import { apps, corps, departments, employees, roles, strategies, strategyRanges } from '../db/schema/index.js';
import { builtInRoleDefinitions, type DataScope } from './roles.js';

/** An app as the policy engine sees it: its kind and, for an ordinary app, its visible range. */
export type AppForPolicy = { kind: 'customer_contact' | 'app'; range: { departments: number[]; userids: string[] } };

/** What the policy engine knows of a corp's organization, rebuilt only when `org_version` moves. */
export type OrgSnapshot = {
  version: number;
  /** department → parent and the region it (or its nearest ancestor) belongs to */
  departments: Map<number, { parentId: number; region: string | null }>;
  children: Map<number, number[]>;
  employees: Map<string, { departmentIds: number[]; role: string; status: 'active' | 'left' }>;
  roles: Map<string, { permissions: string[]; dataScope: DataScope }>;
  strategies: Map<number, { admins: string[]; userids: string[]; departments: number[] }>;
  /** The corp's apps: ranges are read here, current in every process, not from a cached key or a queued job's actor. */
  apps: Map<string, AppForPolicy>;
};

const cache = new Map<string, OrgSnapshot>();

/** Every node reachable from `roots` through `children`, roots included (cycles are harmless). */
export function walkTree(children: ReadonlyMap<number, readonly number[]>, roots: Iterable<number>): Set<number> {
  const out = new Set<number>();
  const stack = [...roots];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/** Every department in the subtrees of `roots`, roots included. */
export function subtree(snapshot: OrgSnapshot, roots: Iterable<number>): Set<number> {
  return walkTree(snapshot.children, roots);
}

/** The regions of some departments: each department's own region, else its nearest ancestor's. */
export function regionsOf(snapshot: OrgSnapshot, departmentIds: Iterable<number>): Set<string> {
  const out = new Set<string>();
  for (let id of departmentIds) {
    for (let hops = 0; hops < 64; hops += 1) {
      const dept = snapshot.departments.get(id);
      if (!dept) break;
      if (dept.region) {
        out.add(dept.region);
        break;
      }
      id = dept.parentId;
    }
  }
  return out;
}

/** Whether a member is inside a rule group's range (WeCom: strategy tags go only on its members' relations). */
export function strategyCovers(snapshot: OrgSnapshot, strategyId: number | null, userid: string): boolean {
  const strategy = strategyId === null ? undefined : snapshot.strategies.get(strategyId);
  const member = snapshot.employees.get(userid);
  if (!strategy || !member) return false;
  if (strategy.userids.includes(userid)) return true;
  const covered = subtree(snapshot, strategy.departments);
  return member.departmentIds.some((d) => covered.has(d));
}

/**
 * Loads the corp's organization for policy checks: one cheap version read per call, and the full
 * load only when departments, employees, roles, app ranges or rule groups changed (in any process).
 */
export async function loadOrgSnapshot(ctx: Ctx): Promise<OrgSnapshot> {
  const db = reader(ctx);
  const [corp] = await db.select({ version: corps.orgVersion }).from(corps).where(eq(corps.corpId, ctx.corpId));
  const version = corp?.version ?? -1;
  const hit = cache.get(ctx.corpId);
  if (hit && hit.version === version) return hit;

  // One after another: inside a transaction they share one connection, which runs one query at a time.
  const deptRows = await db.select().from(departments).where(eq(departments.corpId, ctx.corpId));
  const employeeRows = await db
    .select({ userid: employees.userid, departmentIds: employees.departmentIds, role: employees.role, status: employees.status })
    .from(employees)
    .where(eq(employees.corpId, ctx.corpId));
  const roleRows = await db.select().from(roles).where(eq(roles.corpId, ctx.corpId));
  const strategyRows = await db.select().from(strategies).where(eq(strategies.corpId, ctx.corpId));
  const rangeRows = await db.select().from(strategyRanges).where(eq(strategyRanges.corpId, ctx.corpId));
  const appRows = await db
    .select({ appId: apps.appId, kind: apps.kind, departments: apps.rangeDepartments, userids: apps.rangeUserids })
    .from(apps)
    .where(eq(apps.corpId, ctx.corpId));
  const snapshot: OrgSnapshot = {
    version,
    departments: new Map(),
    children: new Map(),
    employees: new Map(),
    roles: new Map(),
    strategies: new Map(),
    apps: new Map(),
  };
  for (const d of deptRows) {
    snapshot.departments.set(d.deptId, { parentId: d.parentId, region: d.region });
    snapshot.children.set(d.parentId, [...(snapshot.children.get(d.parentId) ?? []), d.deptId]);
  }
  for (const e of employeeRows) snapshot.employees.set(e.userid, { departmentIds: e.departmentIds, role: e.role, status: e.status });
  // Built-in roles apply even before a corp stores its own copy of them.
  for (const [roleId, def] of Object.entries(builtInRoleDefinitions))
    snapshot.roles.set(roleId, { permissions: [...def.permissions], dataScope: def.dataScope });
  for (const r of roleRows) snapshot.roles.set(r.roleId, { permissions: r.permissions, dataScope: r.dataScope });
  for (const s of strategyRows) snapshot.strategies.set(s.strategyId, { admins: s.adminList, userids: [], departments: [] });
  for (const a of appRows) snapshot.apps.set(a.appId, { kind: a.kind, range: { departments: a.departments, userids: a.userids } });
  for (const r of rangeRows) {
    const s = snapshot.strategies.get(r.strategyId);
    if (!s) continue;
    if (r.type === 1) s.userids.push(r.node);
    else s.departments.push(Number(r.node));
  }
  // Read inside a transaction, the version may be one that transaction bumped and might roll back:
  // such a snapshot serves this transaction only and is never cached.
  if (!('tx' in ctx)) cache.set(ctx.corpId, snapshot);
  return snapshot;
}
