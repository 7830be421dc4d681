import type { Db, Tx } from './db/client.js';

/**
 * Who is acting: an app holding a secret, an employee, or the system itself (jobs, demo seeding).
 * An app's `range` is as its key was verified; policies read the current one from the org
 * snapshot. `viaApp` marks an app acting as the employee, who may then do only what both may.
 */
export type Actor =
  | { kind: 'app'; appId: string; appKind: 'customer_contact' | 'app'; range?: { departments: number[]; userids: string[] } }
  | { kind: 'employee'; userid: string; role: string; viaApp?: string }
  | { kind: 'system'; name: string };

/** Where a change came from; recorded on every event. */
export type Source = 'console' | 'api' | 'wecom-api' | 'wecom-sync' | 'import' | 'rule' | 'cli' | 'demo' | 'system';

/** Everything a query or command needs: the tenant, the actor and the database. */
export type Ctx = {
  corpId: string;
  actor: Actor;
  source: Source;
  requestId?: string;
  db: Db;
};

/** A context inside an open transaction; commands require it so every write is transactional. */
export type TxCtx = Ctx & { tx: Tx };

/**
 * The handle to read through: the open transaction when there is one. Reading through `db` inside
 * a transaction would deadlock on PGlite (one connection) and miss uncommitted rows on a server.
 */
export function reader(ctx: Ctx | TxCtx): Db | Tx {
  return 'tx' in ctx ? ctx.tx : ctx.db;
}

// Work to run once a withTx transaction has committed. A symbol key survives the `{ ...ctx, … }`
// copies commands make, and stays out of everything that serializes a context.
const commitHooks = Symbol('commitHooks');
type WithCommitHooks = { [commitHooks]?: (() => void)[] };

/** Runs `fn` in one transaction: everything it writes, events included, commits or rolls back together. */
export async function withTx<T>(ctx: Ctx, fn: (ctx: TxCtx) => Promise<T>): Promise<T> {
  const hooks: (() => void)[] = [];
  const result = await ctx.db.transaction((tx) => fn({ ...ctx, tx, [commitHooks]: hooks } as TxCtx));
  for (const hook of hooks) hook();
  return result;
}

/**
 * Runs `fn` once the transaction of `ctx` (opened by `withTx`) has committed, never when it rolls
 * back: for effects outside the database that must not run ahead of the commit, such as dropping
 * cached credentials (dropped earlier, another request could cache the old ones again before the
 * commit). `fn` must not throw: the change is committed by then.
 */
export function afterCommit(ctx: TxCtx, fn: () => void): void {
  const hooks = (ctx as WithCommitHooks)[commitHooks];
  if (!hooks) throw new Error('afterCommit needs a transaction opened by withTx: was the command run in a bare db.transaction?');
  hooks.push(fn);
}

/** The context background jobs and the CLI act under; the system actor still goes through policies. */
export function systemContext(db: Db, corpId: string, name = 'system', source: Source = 'system'): Ctx {
  return { corpId, actor: { kind: 'system', name }, source, db };
}

/** The actor as one string for the audit log: `app:ID`, `user:ID` or `system:NAME`. */
export function actorLabel(actor: Actor): string {
  if (actor.kind === 'app') return `app:${actor.appId}`;
  if (actor.kind === 'employee') return `user:${actor.userid}`;
  return `system:${actor.name}`;
}
