import { and, eq, inArray, sql } from 'drizzle-orm';
import { type TxCtx, withTx } from '../../../context.js';
import type { Db } from '../../../db/client.js';
import { follows, operations, wecomConnections } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import type { OperationRow } from '../../operations/operation-row.js';
import { type BackoffPolicy, backoffDelayMs } from '../backoff.js';
import { connectionClient } from '../connection.js';
import { idMaps } from '../id-map.js';
import type { SecretBox } from '../secret-box.js';
import { applyRemoteCustomer } from '../sync/customer.js';
import { ensureEmployees } from '../sync/employees.js';
import { removeRemoteFollow } from '../sync/remove-follow.js';
import { applyRemoteStrategyLibrary } from '../sync/strategy-library.js';
import { applyRemoteTagLibrary } from '../sync/tag-library.js';
import { addCounts, emptyCounts, type RemoteCustomer, type RemoteStrategy, type RemoteTagGroup, type SyncCounts, wecomSyncContext } from '../sync/types.js';
import { type WecomAnswer, WecomError } from '../wecom-client.js';

/** WeCom's limits on batch/get_by_user: at most 100 userids and 100 customers a call. */
const useridsPerCall = 100;
const customersPerPage = 100;

/** How a retryable WeCom error (45009, 45033, -1, HTTP 5xx) is retried within one page: 0.5 s, 1 s, 2 s, 4 s, then the pull fails. */
export const pullRetry: BackoffPolicy = { baseMs: 500, maxMs: 10_000, maxAttempts: 5 };

/**
 * Where a pull stands, kept in its operation row's `params` and rewritten in the transaction of
 * every page it applies, so a pull whose process died resumes at the page after the last one
 * committed: `library` first, then the follow users' customers, chunk by chunk and cursor by cursor.
 */
export type PullParams = {
  mode: 'full' | 'incremental';
  /** Incremental: only customers whose follow was added at or after this instant (ISO). */
  since?: string | null;
  /** When the pull was queued: the watermark saved as `last_pull_at` when it finishes. */
  queuedAt: string;
  phase?: 'library' | 'customers';
  userids?: string[];
  chunk?: number;
  cursor?: string;
  /** Full pull: the relations seen so far in the current chunk of userids ("userid|external_userid"). */
  seen?: string[];
  counts?: SyncCounts;
};

/** What the worker gives a pull: a hook before each page (stop, cancel, tests), progress, and the clock to wait on. */
export type PullHooks = {
  beforePage?: (done: number) => Promise<void>;
  onProgress?: (done: number, total: number) => void;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
};

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs (or resumes) a `wecom_pull` operation: the tag library, the follow users, then their
 * customers page by page (batch/get_by_user), each page applied and its cursor saved in one
 * transaction. Answers the counts; WeCom errors that are not retryable, or retryable ones that
 * persist, throw `wecom_upstream_failed` with WeCom's errcode and errmsg.
 */
export async function runWecomPull(db: Db, box: SecretBox | null, op: OperationRow, hooks: PullHooks = {}): Promise<SyncCounts> {
  const client = await connectionClient(db, box, op.corpId, { fetch: hooks.fetch });
  let params = op.params as PullParams;
  const full = params.mode === 'full';
  const counts = addCounts(emptyCounts(), params.counts ?? emptyCounts());
  const call: Call = (path, body, query) => withRetry(() => client.call(path, body, query), hooks.sleep ?? wait);
  // Reading one customer: WeCom's "no such customer" comes back as is (the page skips that customer).
  const readCall: Call = (path, body, query) => withRetry(() => client.call(path, body, query), hooks.sleep ?? wait, [customerGone]);
  const base = wecomSyncContext(db, op.corpId);
  let done = 0;

  /** Applies one page and saves where the pull stands, in one transaction (guarded: only this run of the job may write). */
  const commit = (apply: (ctx: TxCtx) => Promise<Partial<PullParams>>) =>
    withTx(base, async (ctx) => {
      const patch = await apply(ctx);
      params = { ...params, ...patch, counts };
      const total = params.userids?.length ?? 0;
      const saved = await ctx.tx
        .update(operations)
        .set({ params: params as Record<string, unknown>, done, total, heartbeatAt: sql`now()` })
        .where(
          and(
            eq(operations.corpId, op.corpId),
            eq(operations.operationId, op.operationId),
            eq(operations.status, 'running'),
            eq(operations.attempts, op.attempts),
          ),
        )
        .returning({ id: operations.operationId });
      if (saved.length === 0) throw new AppError('conflict', { message: 'The pull was taken over by another worker.' });
      hooks.onProgress?.(done, total);
    });

  if (!params.phase || params.phase === 'library') {
    const library = await call('externalcontact/get_corp_tag_list', {});
    const ruleGroupLibrary = await call('externalcontact/get_strategy_tag_list', {});
    const ruleGroups = (ruleGroupLibrary.tag_group ?? []) as RemoteTagGroup[];
    const mapped = await withTx(base, async (ctx) => new Set((await idMaps(ctx.tx, ctx.corpId, 'strategy')).toLocal.keys()));
    const details = await readStrategies(call, ruleGroups, mapped, counts);
    const followers = await call('externalcontact/get_follow_user_list');
    const userids = [...new Set((Array.isArray(followers.follow_user) ? followers.follow_user : []).filter((u): u is string => typeof u === 'string'))];
    await commit(async (ctx) => {
      addCounts(counts, await applyRemoteTagLibrary(ctx, (library.tag_group ?? []) as RemoteTagGroup[], { complete: full }));
      // The members first: a new rule group needs its admins and range to exist here (on a new corp
      // nobody does yet, and its tags would otherwise wait for the next pull).
      await ensureEmployees(ctx, counts, userids);
      // Rule-group tags after the enterprise ones: follows are marked with both kinds of tag id.
      addCounts(counts, await applyRemoteStrategyLibrary(ctx, ruleGroups, { complete: full, details }));
      return { phase: 'customers', userids, chunk: 0, cursor: '', seen: [] };
    });
  }

  const userids = params.userids ?? [];
  const since = params.since ? Date.parse(params.since) : null;
  for (let chunk = params.chunk ?? 0; chunk * useridsPerCall < userids.length; chunk = params.chunk ?? chunk + 1) {
    const list = userids.slice(chunk * useridsPerCall, (chunk + 1) * useridsPerCall);
    done = chunk * useridsPerCall;
    await hooks.beforePage?.(done);
    const answer = await call('externalcontact/batch/get_by_user', { userid_list: list, cursor: params.cursor ?? '', limit: customersPerPage });
    const items = (Array.isArray(answer.external_contact_list) ? answer.external_contact_list : []) as RemoteCustomer[];
    const next = typeof answer.next_cursor === 'string' ? answer.next_cursor : '';
    // batch/get_by_user names enterprise tags only: each customer of the page is read whole with
    // externalcontact/get (every follow, personal tags by name), before the page's transaction.
    const wanted = items.filter((item) => {
      const added = item.follow_info?.createtime;
      return !(since !== null && typeof added === 'number' && added * 1000 < since);
    });
    const whole: RemoteCustomer[] = [];
    // A customer deleted in WeCom between the listing and the read (40096) is skipped, and left out
    // of `seen` below, so a full pull removes its relations here as well.
    const gone = new Set<string>();
    for (const id of new Set(wanted.map((i) => i.external_contact?.external_userid).filter((id): id is string => typeof id === 'string'))) {
      try {
        whole.push(await readCustomer(readCall, id));
      } catch (error) {
        if (!(error instanceof WecomError && error.errcode === customerGone)) throw error;
        gone.add(id);
        counts.problems.push(`customer ${id} was deleted in WeCom during the pull; skipped`);
      }
    }
    await commit(async (ctx) => {
      const tagIds = (await idMaps(ctx.tx, ctx.corpId, 'tag')).toLocal;
      for (const customer of whole) addCounts(counts, await applyRemoteCustomer(ctx, customer, { complete: full, tagIds }));
      const listed = items.filter((i) => !gone.has(i.external_contact?.external_userid ?? ''));
      const seen = full ? [...(params.seen ?? []), ...listed.map((i) => `${i.follow_info?.userid}|${i.external_contact?.external_userid}`)] : [];
      if (next !== '') return { cursor: next, seen };
      // The chunk's userids are complete: a full pull removes their relations WeCom no longer has.
      if (full) await removeUnseen(ctx, counts, list, new Set(seen));
      done = Math.min(userids.length, (chunk + 1) * useridsPerCall);
      return { chunk: chunk + 1, cursor: '', seen: [] };
    });
  }

  await withTx(base, async (ctx) => {
    const at = new Date(params.queuedAt);
    await ctx.tx
      .update(wecomConnections)
      .set(full ? { lastPullAt: at, lastFullPullAt: at } : { lastPullAt: at })
      .where(eq(wecomConnections.corpId, op.corpId));
  });
  hooks.onProgress?.(userids.length, userids.length);
  return counts;
}

/**
 * The name, admins and range of each new rule group the tag list names (customer_strategy/get and
 * get_range), so a rule group created here looks like WeCom's. Optional: one WeCom will not answer
 * is created with a placeholder name over the whole corp, and the pull says so.
 */
async function readStrategies(call: Call, groups: RemoteTagGroup[], mapped: Set<string>, counts: SyncCounts): Promise<Map<number, RemoteStrategy>> {
  const usable = (id: unknown): id is number => typeof id === 'number' && Number.isSafeInteger(id) && id > 0 && !mapped.has(String(id));
  // Only rule groups not mapped yet: a mapped one is never created again, so its details go unused.
  const ids = new Set(groups.flatMap((g) => (!g.deleted && usable(g.strategy_id) ? [g.strategy_id] : [])));
  const details = new Map<number, RemoteStrategy>();
  for (const id of ids) {
    try {
      const answer = await call('externalcontact/customer_strategy/get', { strategy_id: id });
      const strategy = (answer.strategy ?? {}) as RemoteStrategy;
      const range: NonNullable<RemoteStrategy['range']> = [];
      for (let cursor = '', first = true; first || cursor !== ''; first = false) {
        const page = await call('externalcontact/customer_strategy/get_range', { strategy_id: id, cursor, limit: 1000 });
        range.push(...((Array.isArray(page.range) ? page.range : []) as NonNullable<RemoteStrategy['range']>));
        cursor = typeof page.next_cursor === 'string' ? page.next_cursor : '';
      }
      details.set(id, { ...strategy, strategy_id: id, range });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      counts.problems.push(`rule group ${id}: its name, admins and range could not be read (${error.message}); created with a placeholder`);
    }
  }
  return details;
}

/** WeCom's errcode for an external_userid that does not exist (any more). */
const customerGone = 40096;

type Call = (path: string, body?: unknown, query?: Record<string, string>) => Promise<WecomAnswer>;

/** One customer as externalcontact/get answers it, every page of its follows (500 a page) joined. */
async function readCustomer(call: Call, externalUserid: string): Promise<RemoteCustomer> {
  let cursor = '';
  const followUser: NonNullable<RemoteCustomer['follow_user']> = [];
  for (;;) {
    const answer = await call('externalcontact/get', undefined, { external_userid: externalUserid, ...(cursor ? { cursor } : {}) });
    followUser.push(...((Array.isArray(answer.follow_user) ? answer.follow_user : []) as NonNullable<RemoteCustomer['follow_user']>));
    cursor = typeof answer.next_cursor === 'string' ? answer.next_cursor : '';
    if (cursor === '') return { external_contact: answer.external_contact as RemoteCustomer['external_contact'], follow_user: followUser };
  }
}

/** Removes the follows of `userids` that a complete listing of their customers did not contain. */
async function removeUnseen(ctx: TxCtx, counts: SyncCounts, userids: string[], seen: Set<string>): Promise<void> {
  const local = await ctx.tx
    .select({ userid: follows.userid, externalUserid: follows.externalUserid })
    .from(follows)
    .where(and(eq(follows.corpId, ctx.corpId), inArray(follows.userid, userids)));
  for (const f of local) {
    if (seen.has(`${f.userid}|${f.externalUserid}`)) continue;
    if (await removeRemoteFollow(ctx, f.userid, f.externalUserid)) counts.deleted += 1;
  }
}

/** Calls WeCom, backing off and retrying what WeCom says may succeed later; anything else (but `passThrough` errcodes, thrown as they are) is `wecom_upstream_failed`. */
async function withRetry(fn: () => Promise<WecomAnswer>, sleep: (ms: number) => Promise<void>, passThrough: number[] = []): Promise<WecomAnswer> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof WecomError) || passThrough.includes(error.errcode)) throw error;
      if (error.retryable && attempt < pullRetry.maxAttempts) {
        await sleep(backoffDelayMs(attempt, pullRetry));
        continue;
      }
      throw new AppError('wecom_upstream_failed', {
        message: `WeCom ${error.path} answered ${error.errcode}: ${error.errmsg}${error.retryable ? ` (after ${attempt} attempts)` : ''}`,
      });
    }
  }
}
