import { sql } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { recordEvent } from '../../../events/record.js';
import { bumpMomentVersion, readMomentSettings } from '../moment-settings.js';
import type { MomentFact } from './moment-facts.js';
import { type StreakState, signalOf, stepStreak } from './streak.js';
import { suppressionReason } from './suppression-reason.js';

type Pair = { groupId: string; externalUserid: string };
const keyOf = (p: Pair) => `${p.groupId}\u0000${p.externalUserid}`;
const unkey = (key: string): Pair => {
  const [groupId, externalUserid] = key.split('\u0000') as [string, string];
  return { groupId, externalUserid };
};

type Targeted = { groupIds: string[]; text: string };

/** The tag groups each named post targeted, and its text; drafts (never shown to anyone) and broadcasts are left out. */
async function targetedGroups(ctx: TxCtx, momentIds: string[]): Promise<Map<string, Targeted>> {
  const rows = await queryRows<{ moment_id: string; target_group_ids: string[]; text: string }>(
    ctx.tx,
    sql`select moment_id, target_group_ids, text from moments
    where corp_id = ${ctx.corpId} and moment_id = any(${sql.param(momentIds)}::text[]) and status <> 'draft' and cardinality(target_group_ids) > 0`,
  );
  return new Map(rows.map((r) => [r.moment_id, { groupIds: r.target_group_ids, text: r.text }]));
}

/** The stored state of each (group, customer) pair: suppressed, a running streak, or nothing yet. */
async function loadStates(ctx: TxCtx, pairs: Pair[]): Promise<Map<string, StreakState>> {
  const groups = sql.param(pairs.map((p) => p.groupId));
  const customers = sql.param(pairs.map((p) => p.externalUserid));
  const rows = await queryRows<{ group_id: string; external_userid: string; moment_ids: string[] | null; suppressed: boolean }>(
    ctx.tx,
    sql`
    select p.group_id, p.external_userid, s.moment_ids, (x.group_id is not null) as suppressed
    from unnest(${groups}::text[], ${customers}::text[]) as p(group_id, external_userid)
    left join moment_streaks s on s.corp_id = ${ctx.corpId} and s.group_id = p.group_id and s.external_userid = p.external_userid
    left join moment_suppressions x on x.corp_id = ${ctx.corpId} and x.group_id = p.group_id and x.external_userid = p.external_userid and x.lifted_at is null`,
  );
  return new Map(
    rows.map((r) => [
      keyOf({ groupId: r.group_id, externalUserid: r.external_userid }),
      r.suppressed ? { suppressed: true } : { suppressed: false, momentIds: r.moment_ids ?? [] },
    ]),
  );
}

/** Stores the streaks that moved: a running one is upserted, an empty or completed one is deleted. */
async function saveStreaks(ctx: TxCtx, changed: Map<string, StreakState>): Promise<void> {
  const running = [...changed].filter(([, s]) => !s.suppressed && s.momentIds.length > 0) as [string, { momentIds: readonly string[] }][];
  const ended = [...changed].filter(([, s]) => s.suppressed || s.momentIds.length === 0).map(([k]) => unkey(k));
  if (ended.length > 0) {
    await ctx.tx.execute(sql`
      delete from moment_streaks s using unnest(${sql.param(ended.map((p) => p.groupId))}::text[], ${sql.param(ended.map((p) => p.externalUserid))}::text[]) as p(group_id, external_userid)
      where s.corp_id = ${ctx.corpId} and s.group_id = p.group_id and s.external_userid = p.external_userid`);
  }
  // One statement per streak: streaks differ in length, and a text[][] parameter cannot hold ragged rows.
  for (const [key, s] of running) {
    const p = unkey(key);
    await ctx.tx.execute(sql`
      insert into moment_streaks (corp_id, group_id, external_userid, moment_ids, updated_at)
      values (${ctx.corpId}, ${p.groupId}, ${p.externalUserid}, ${sql.param([...s.momentIds])}::text[], now())
      on conflict (corp_id, group_id, external_userid) do update set moment_ids = excluded.moment_ids, updated_at = now()`);
  }
}

/** Puts a customer on a group's suppression list (again, when an earlier one was lifted) and records why. */
async function suppress(ctx: TxCtx, pair: Pair, momentIds: readonly string[], threshold: number, texts: ReadonlyMap<string, string>): Promise<void> {
  await ctx.tx.execute(sql`
    insert into moment_suppressions (corp_id, group_id, external_userid, moment_ids, created_at)
    values (${ctx.corpId}, ${pair.groupId}, ${pair.externalUserid}, ${sql.param([...momentIds])}::text[], now())
    on conflict (corp_id, group_id, external_userid) do update
      set moment_ids = excluded.moment_ids, created_at = excluded.created_at, lifted_at = null, lifted_by = null
      where moment_suppressions.lifted_at is not null`);
  await recordEvent(ctx, {
    type: 'moment.suppressed',
    subjectType: 'customer',
    subjectId: pair.externalUserid,
    payload: { groupId: pair.groupId, externalUserid: pair.externalUserid, momentIds, streak: threshold },
    reason: suppressionReason(momentIds, texts),
  });
}

/**
 * Applies Moments interactions to the customers' "not interested" streaks, group by group, in the
 * order they happened: for every tag group a post targeted, "not interested" extends the streak
 * and a like, comment or click resets it; a streak that reaches the corp's `notInterestedStreak`
 * becomes a suppression (event `moment.suppressed`, moment version bumped). Runs in the consumer's
 * page transaction, so effects and cursor commit together. Facts arriving late (in a later page
 * than ones that happened after them) are applied when they arrive.
 */
export async function applyMomentInteractions(ctx: TxCtx, facts: readonly MomentFact[]): Promise<{ suppressed: number }> {
  const posts = facts.length === 0 ? new Map<string, Targeted>() : await targetedGroups(ctx, [...new Set(facts.map((f) => f.momentId))]);
  const relevant = facts
    .map((fact, i) => ({ fact, i }))
    .filter(({ fact }) => posts.has(fact.momentId) && signalOf(fact.kind) !== 'neutral')
    .sort((a, b) => a.fact.occurredAt.getTime() - b.fact.occurredAt.getTime() || a.i - b.i)
    .map(({ fact }) => fact);
  if (relevant.length === 0) return { suppressed: 0 };
  const threshold = (await readMomentSettings(ctx)).notInterestedStreak;
  const pairs = new Map<string, Pair>();
  for (const f of relevant)
    for (const groupId of posts.get(f.momentId)!.groupIds)
      pairs.set(keyOf({ groupId, externalUserid: f.externalUserid }), { groupId, externalUserid: f.externalUserid });
  const states = await loadStates(ctx, [...pairs.values()]);
  const changed = new Map<string, StreakState>();
  const suppressions: { pair: Pair; momentIds: readonly string[] }[] = [];
  for (const f of relevant) {
    for (const groupId of posts.get(f.momentId)!.groupIds) {
      const pair = { groupId, externalUserid: f.externalUserid };
      const key = keyOf(pair);
      const step = stepStreak(states.get(key) ?? { suppressed: false, momentIds: [] }, f.momentId, signalOf(f.kind), threshold);
      if (step.state === states.get(key)) continue;
      states.set(key, step.state);
      changed.set(key, step.state);
      if (step.suppressedBy) suppressions.push({ pair, momentIds: step.suppressedBy });
    }
  }
  await saveStreaks(ctx, changed);
  const texts = new Map([...posts].map(([id, p]) => [id, p.text]));
  for (const s of suppressions) await suppress(ctx, s.pair, s.momentIds, threshold, texts);
  if (suppressions.length > 0) await bumpMomentVersion(ctx);
  return { suppressed: suppressions.length };
}
