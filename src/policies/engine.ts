import type { Actor, Ctx } from '../context.js';
import type { Audience, TagGroupScope } from '../db/schema/index.js';
import { type AppForPolicy, loadOrgSnapshot, type OrgSnapshot, regionsOf, subtree } from './org-snapshot.js';
import { forbidden } from './refuse.js';
import { allPermissions, type Permission } from './registry.js';
import { appPermissions, type DataScope, delegablePermissions, rangedAppPermissions } from './roles.js';

/** A row a permission is checked against; each scope predicate reads only these fields. */
export type PolicyResource =
  | { type: 'corp' }
  | { type: 'follow'; userid: string }
  | { type: 'customer'; followerUserids: readonly string[] }
  | { type: 'tagGroup'; group: GroupForPolicy }
  | { type: 'personalTag'; ownerUserid: string }
  | { type: 'employee'; userid: string };

/** What the engine needs to know of a tag group. */
export type GroupForPolicy = { kind: 'corp' | 'strategy' | 'smart'; scope: TagGroupScope; strategyId: number | null };

/** Which employees' follow relations an actor reaches: all of them, or these userids. */
export type Reach = 'all' | ReadonlySet<string>;

type Person = { userid: string; departments: Set<number>; regions: Set<string> } | null;

const groupActions = new Set<Permission>(['tag.apply', 'tag.remove']);

/**
 * An actor's rights, resolved once per request: which permissions their role grants, how far
 * their data scope reaches, and which tag groups they may see and apply. Everything is answered
 * synchronously from the org snapshot, so checks inside commands cost no queries.
 */
export class Policy {
  constructor(
    readonly actor: Actor,
    private readonly granted: ReadonlySet<Permission>,
    /** Whose follow relations the actor reaches. */
    readonly reach: Reach,
    private readonly person: Person,
    private readonly snapshot: OrgSnapshot | null,
    /**
     * Whether an app limited to a range acts as the employee. The employee's own records (say,
     * operations they started in the console) may reach beyond the range, so only what was done
     * through the same app counts as the actor's own.
     */
    readonly viaRangedApp = false,
  ) {}

  /** Whether the actor may do `permission`, on `resource` when given. Never throws. */
  can(permission: Permission, resource: PolicyResource = { type: 'corp' }): boolean {
    if (!this.granted.has(permission)) return false;
    switch (resource.type) {
      case 'corp':
        return true;
      case 'personalTag':
        // Personal tags are their owner's alone: no role, app or system actor reaches them.
        return this.actor.kind === 'employee' && this.actor.userid === resource.ownerUserid;
      case 'follow':
      case 'employee':
        return this.reaches(resource.userid);
      case 'customer':
        return resource.followerUserids.some((u) => this.reaches(u));
      case 'tagGroup':
        return groupActions.has(permission) ? this.canApplyGroup(resource.group) : this.canSeeGroup(resource.group);
    }
  }

  /** Throws `forbidden` unless the actor may do `permission` (on `resource`). */
  authorize(permission: Permission, resource?: PolicyResource): void {
    if (!this.can(permission, resource)) throw forbidden(`Not allowed: ${permission}.`);
  }

  /** The ability map responses carry so the console can hide what the actor may not do. */
  abilities(names: readonly Permission[], resource?: PolicyResource): Record<string, boolean> {
    return Object.fromEntries(names.map((name) => [name, this.can(name, resource)]));
  }

  /** Whether the actor's data scope covers this employee's follow relations. */
  reaches(userid: string): boolean {
    return this.reach === 'all' || this.reach.has(userid);
  }

  /**
   * Whether the actor reads the whole corp's activity (every audit event and operation): `audit.view`
   * with a corp-wide reach, as admins and the customer-contact secret have. Anyone else with
   * `audit.view` reads only what their data scope reaches.
   */
  seesAllActivity(): boolean {
    return this.granted.has('audit.view') && this.reach === 'all';
  }

  /** Whether the actor may see a tag group (and its tags on customers). */
  canSeeGroup(group: GroupForPolicy): boolean {
    if (!this.person) return true; // apps and the system see the whole library, as in WeCom
    if (group.kind === 'strategy') return this.inStrategy(group.strategyId);
    if (this.granted.has('tagGroup.update')) return true; // library keepers see every group
    return this.inAudience(group.scope.view);
  }

  /** Whether the actor may put this group's tags on and off customers. */
  canApplyGroup(group: GroupForPolicy): boolean {
    if (!this.person) return true;
    if (group.kind === 'strategy') return this.inStrategy(group.strategyId);
    return this.canSeeGroup(group) && this.inAudience(group.scope.apply);
  }

  private inStrategy(strategyId: number | null): boolean {
    const strategy = strategyId === null ? undefined : this.snapshot?.strategies.get(strategyId);
    if (!strategy || !this.person) return false;
    if (strategy.admins.includes(this.person.userid)) return true;
    return this.inAudience({ userids: strategy.userids, departments: strategy.departments }, false);
  }

  private inAudience(audience: Audience | undefined, emptyMeansEveryone = true): boolean {
    const person = this.person!;
    const empty = !audience || (audience.userids?.length ?? 0) + (audience.departments?.length ?? 0) + (audience.regions?.length ?? 0) === 0;
    if (empty) return emptyMeansEveryone;
    if (audience.userids?.includes(person.userid)) return true;
    if (audience.regions?.some((r) => person.regions.has(r))) return true;
    if (audience.departments && this.snapshot) {
      const covered = subtree(this.snapshot, audience.departments);
      for (const d of person.departments) if (covered.has(d)) return true;
    }
    return false;
  }
}

function reachOf(snapshot: OrgSnapshot, userid: string, scope: DataScope): Reach {
  if (scope === 'corp') return 'all';
  const me = snapshot.employees.get(userid);
  if (!me || scope === 'own') return new Set([userid]);
  const mine = scope === 'department' ? subtree(snapshot, me.departmentIds) : regionsOf(snapshot, me.departmentIds);
  const out = new Set([userid]);
  for (const [other, e] of snapshot.employees) {
    const hit =
      scope === 'department'
        ? e.departmentIds.some((d) => (mine as Set<number>).has(d))
        : [...regionsOf(snapshot, e.departmentIds)].some((r) => (mine as Set<string>).has(r));
    if (hit) out.add(other);
  }
  return out;
}

function rangeReach(snapshot: OrgSnapshot, range: AppForPolicy['range']): Reach {
  const covered = subtree(snapshot, range.departments);
  const out = new Set(range.userids);
  for (const [userid, e] of snapshot.employees) if (e.departmentIds.some((d) => covered.has(d))) out.add(userid);
  return out;
}

/** How far an app reaches: the whole corp for the customer-contact app, else its range. */
function appReach(snapshot: OrgSnapshot, app: AppForPolicy): Reach {
  return app.kind === 'customer_contact' ? 'all' : rangeReach(snapshot, app.range);
}

function intersectReach(a: Reach, b: Reach): Reach {
  if (a === 'all') return b;
  if (b === 'all') return a;
  return new Set([...a].filter((userid) => b.has(userid)));
}

const memo = new WeakMap<Actor, Promise<Policy>>();

/**
 * The policy for the context's actor, resolved once per actor object (one request). The system
 * and the customer-contact app reach the whole corp without a lookup; employees and ranged apps
 * are resolved against the org snapshot.
 */
export function policyFor(ctx: Ctx): Promise<Policy> {
  let pending = memo.get(ctx.actor);
  if (!pending) {
    pending = resolvePolicy(ctx);
    memo.set(ctx.actor, pending);
  }
  return pending;
}

async function resolvePolicy(ctx: Ctx): Promise<Policy> {
  const actor = ctx.actor;
  if (actor.kind === 'system') return new Policy(actor, new Set(appPermissions), 'all', null, null);
  if (actor.kind === 'app' && actor.appKind === 'customer_contact') return new Policy(actor, new Set(appPermissions), 'all', null, null);
  const snapshot = await loadOrgSnapshot(ctx);
  const nothing = () => new Policy(actor, new Set(), new Set(), null, snapshot);
  if (actor.kind === 'app') {
    // The range comes from the snapshot, not from the actor: a range changed since the key was
    // cached (in any process) or since a job was queued applies at once.
    const app = snapshot.apps.get(actor.appId);
    return app?.kind === 'app' ? new Policy(actor, new Set(rangedAppPermissions), rangeReach(snapshot, app.range), null, snapshot) : nothing();
  }
  const employee = snapshot.employees.get(actor.userid);
  const role = employee && employee.status === 'active' ? snapshot.roles.get(employee.role) : undefined;
  if (!employee || !role) return nothing();
  let granted = new Set(role.permissions.filter((p): p is Permission => (allPermissions as string[]).includes(p)));
  let reach = reachOf(snapshot, actor.userid, role.dataScope);
  const via = actor.viaApp === undefined ? undefined : snapshot.apps.get(actor.viaApp);
  if (actor.viaApp !== undefined) {
    // An app acting as an employee borrows no more than both may do: the permissions both have
    // (never the management ones), over the employees both reach. The employee's own group scopes
    // (below) are the stricter of the two, since an app alone sees every group.
    if (!via) return nothing();
    const delegable = new Set(delegablePermissions(via.kind));
    granted = new Set([...granted].filter((p) => delegable.has(p)));
    reach = intersectReach(reach, appReach(snapshot, via));
  }
  const person = { userid: actor.userid, departments: new Set(employee.departmentIds), regions: regionsOf(snapshot, employee.departmentIds) };
  return new Policy(actor, granted, reach, person, snapshot, via?.kind === 'app');
}
