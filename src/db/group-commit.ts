import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Db, Tx } from './client.js';

/**
 * One request's share of a group: its lock-order key and the writes it makes in the open
 * transaction. `alone`, when given, is a cheaper way to make the same writes on their own (one
 * atomic statement with no BEGIN and COMMIT around it), used when the member is the only one.
 */
export type GroupMember<T> = { key: string; run: (tx: Tx) => Promise<T>; alone?: (db: Db) => Promise<T> };

/** How a committer groups: the most members in one transaction and the most groups committing at once. */
export type GroupCommitOptions = { maxMembers?: number; maxInFlight?: number };

/**
 * What a committer has done so far (members / groups is the mean group size), and how many members
 * wait for a group now; for the bench and the tests.
 */
export type GroupCommitStats = { groups: number; members: number; retriedAlone: number; queued: number };

type Pending = { member: GroupMember<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void };
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

// A deadlock or a serialization failure belongs to the group's timing, not to the request: such a
// member runs again alone, where it gets the answer it would have had alone.
const transientCodes = new Set(['40P01', '40001']);

function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code ?? (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' && transientCodes.has(code);
}

/**
 * Group commit: members submitted while a group is committing (or within the same turn of the
 * event loop) are applied together in ONE transaction, so N requests pay one commit (one WAL
 * flush) instead of N. Each member runs under its own savepoint, so one that fails rolls back alone
 * and its neighbours commit; members run in the order of their keys (arrival order among equal
 * keys), so two groups lock rows in the same order and cannot deadlock each other. When the group
 * transaction itself fails (the commit, a lost connection), every member runs again alone.
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  private inFlight = 0;
  // Keys with a member in a group that is committing now, and how many such members.
  private readonly busyKeys = new Map<string, number>();
  private scheduled = false;
  private readonly maxMembers: number;
  private readonly maxInFlight: number;
  private readonly counts = { groups: 0, members: 0, retriedAlone: 0 };

  constructor(
    private readonly db: Db,
    opts: GroupCommitOptions = {},
  ) {
    // Past 64 writing savepoints a transaction's subtransactions overflow PostgreSQL's per-backend
    // cache and every other snapshot gets slower; 48 stays well below.
    this.maxMembers = Math.min(opts.maxMembers ?? 48, 64);
    // On a server, a few groups commit side by side on their own connections, hiding each other's
    // round trips; PGlite has one connection, where a second group would only wait for the first.
    this.maxInFlight = opts.maxInFlight ?? (isServer(db) ? 3 : 1);
  }

  /** Queues `member` for the next group; settles with its own result or its own error. */
  submit<T>(member: GroupMember<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ member, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Counters since the committer was made. */
  stats(): GroupCommitStats {
    return { ...this.counts, queued: this.queue.length };
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    // Wait for the rest of this turn: requests that arrive together go out together.
    setImmediate(() => {
      this.scheduled = false;
      this.startGroups();
    });
  }

  private startGroups(): void {
    while (this.inFlight < this.maxInFlight) {
      const group = this.takeGroup();
      if (group.length === 0) return;
      this.inFlight += 1;
      for (const { member } of group) this.busyKeys.set(member.key, (this.busyKeys.get(member.key) ?? 0) + 1);
      void this.commitGroup(group).finally(() => {
        for (const { member } of group) {
          const left = (this.busyKeys.get(member.key) ?? 1) - 1;
          if (left === 0) this.busyKeys.delete(member.key);
          else this.busyKeys.set(member.key, left);
        }
        this.inFlight -= 1;
        this.schedule();
      });
    }
  }

  /**
   * The next group, oldest first. A member whose key is in a group still committing waits for that
   * group: two groups never write the same key at once, so they cannot deadlock over its rows
   * (whatever order a member locks them in) and its requests apply in arrival order.
   */
  private takeGroup(): Pending[] {
    const group: Pending[] = [];
    const rest: Pending[] = [];
    for (const pending of this.queue) {
      if (group.length < this.maxMembers && !this.busyKeys.has(pending.member.key)) group.push(pending);
      else rest.push(pending);
    }
    this.queue = rest;
    return group;
  }

  private async commitGroup(group: Pending[]): Promise<void> {
    this.counts.groups += 1;
    this.counts.members += group.length;
    if (group.length === 1) return this.runAlone(group[0]!, false);
    // A stable sort: equal keys (one relation twice) keep their arrival order, as serial execution would.
    const ordered = [...group].sort((a, b) => (a.member.key < b.member.key ? -1 : a.member.key > b.member.key ? 1 : 0));
    const outcomes: Outcome[] = [];
    try {
      await this.db.transaction(async (tx) => {
        for (const pending of ordered) {
          // Not released after the member: a release is one more round trip per member, and the
          // savepoints nesting at most maxMembers deep cost PostgreSQL nothing it would not pay anyway
          // (every writing savepoint keeps its subtransaction id until the commit, released or not).
          await tx.execute(sql`savepoint group_member`);
          try {
            outcomes.push({ ok: true, value: await pending.member.run(tx) });
          } catch (error) {
            // Rolls back to the newest savepoint of that name: this member's, and only its writes.
            await tx.execute(sql`rollback to savepoint group_member`);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch {
      // Nothing of the group committed: each member gets its own transaction and its own answer.
      for (const pending of ordered) await this.runAlone(pending, true);
      return;
    }
    for (const [i, pending] of ordered.entries()) {
      const outcome = outcomes[i]!;
      if (outcome.ok) pending.resolve(outcome.value);
      else if (isTransient(outcome.error)) await this.runAlone(pending, true);
      else pending.reject(outcome.error);
    }
  }

  private async runAlone(pending: Pending, retry: boolean): Promise<void> {
    if (retry) this.counts.retriedAlone += 1;
    try {
      const { run, alone } = pending.member;
      pending.resolve(await (alone ? alone(this.db) : this.db.transaction((tx) => run(tx))));
    } catch (error) {
      pending.reject(error);
    }
  }
}

function isServer(db: Db): boolean {
  return (db as unknown as { $client?: unknown }).$client instanceof pg.Pool;
}

const committers = new WeakMap<Db, GroupCommitter>();

/** The one committer of a database handle, so every request on that handle joins the same groups. */
export function groupCommitterFor(db: Db): GroupCommitter {
  let committer = committers.get(db);
  if (!committer) {
    committer = new GroupCommitter(db);
    committers.set(db, committer);
  }
  return committer;
}
