import { sql } from 'drizzle-orm';
import { systemContext, type TxCtx, withTx } from '../../../context.js';
import { type Db, queryRows } from '../../../db/client.js';
import { recordEvent } from '../../../events/record.js';

/** The system actor's name for dispatch (`system:moments` in the audit log). */
export const dispatchActor = 'moments';

/** What one pass sent: deliveries per corp. */
export type DispatchResult = { sent: number; byCorp: Map<string, number> };

/**
 * Claims up to `limit` of one corp's due deliveries and sends them, in the caller's transaction,
 * or returns null when another process holds the corp (it is sending or scheduling there). The corp
 * row is taken first, as every writer of deliveries takes it (no lock-order deadlock with a
 * cancel), then the deliveries with `FOR UPDATE SKIP LOCKED`. Each post moves scheduled → sending →
 * sent (`finished_at` once none is planned) with one `moment.dispatched` event per post per claim.
 * No `moment_version` bump: the cached cap ledger counts every copy not cancelled, planned or sent
 * alike, so sending changes nothing it holds, and a bump every few seconds while a big post goes out
 * would reload it on every preview and make schedules retry.
 */
export async function dispatchCorp(ctx: TxCtx, now: Date, limit: number): Promise<number | null> {
  const held = await queryRows<{ v: number }>(ctx.tx, sql`select 1 as v from corps where corp_id = ${ctx.corpId} for update skip locked`);
  if (held.length === 0) return null;
  const claimed = await queryRows<{ moment_id: string; n: number }>(
    ctx.tx,
    sql`
    with due as (
      select d.moment_id, d.external_userid from moment_deliveries d
      join moments m on m.corp_id = d.corp_id and m.moment_id = d.moment_id and m.status in ('scheduled', 'sending')
      where d.corp_id = ${ctx.corpId} and d.status = 'planned' and d.planned_at <= ${now.toISOString()}::timestamptz
      order by d.planned_at limit ${limit}
      for update of d skip locked
    ), sent as (
      update moment_deliveries d set status = 'sent', sent_at = ${now.toISOString()}::timestamptz
      from due where d.corp_id = ${ctx.corpId} and d.moment_id = due.moment_id and d.external_userid = due.external_userid
      returning d.moment_id
    ) select moment_id, count(*)::int as n from sent group by moment_id order by moment_id`,
  );
  if (claimed.length === 0) return 0;
  const left = await queryRows<{ moment_id: string; planned: number }>(
    ctx.tx,
    sql`select m.moment_id, (select count(*)::int from moment_deliveries d where d.corp_id = m.corp_id and d.moment_id = m.moment_id and d.status = 'planned') as planned
      from moments m where m.corp_id = ${ctx.corpId} and m.moment_id = any(${sql.param(claimed.map((c) => c.moment_id))}::text[])`,
  );
  const planned = new Map(left.map((r) => [r.moment_id, r.planned]));
  for (const { moment_id: momentId, n } of claimed) {
    const remaining = planned.get(momentId) ?? 0;
    const [before] = await queryRows<{ status: string }>(
      ctx.tx,
      sql`update moments m set status = ${remaining === 0 ? 'sent' : 'sending'}, updated_at = ${now.toISOString()}::timestamptz,
        finished_at = ${remaining === 0 ? sql`${now.toISOString()}::timestamptz` : sql`null`}
      from (select status from moments where corp_id = ${ctx.corpId} and moment_id = ${momentId}) old
      where m.corp_id = ${ctx.corpId} and m.moment_id = ${momentId} returning old.status`,
    );
    await recordEvent(ctx, {
      type: 'moment.dispatched',
      subjectType: 'moment',
      subjectId: momentId,
      before: { status: before?.status },
      after: { status: remaining === 0 ? 'sent' : 'sending' },
      payload: { sent: n, remaining },
    });
  }
  return claimed.reduce((sum, c) => sum + c.n, 0);
}

/**
 * One dispatch pass over every corp with due deliveries: each corp in its own transactions of at
 * most `limit` deliveries, until none is due or another process holds it. Exactly once across
 * processes: a delivery is sent by the transaction that claimed it, and a claim skips locked rows.
 */
export async function dispatchDue(db: Db, now: Date, limit = 5000): Promise<DispatchResult> {
  const corps = await queryRows<{ corp_id: string }>(
    db,
    sql`select distinct corp_id from moment_deliveries where status = 'planned' and planned_at <= ${now.toISOString()}::timestamptz`,
  );
  const result: DispatchResult = { sent: 0, byCorp: new Map() };
  for (const { corp_id: corpId } of corps) {
    for (;;) {
      const n = await withTx(systemContext(db, corpId, dispatchActor), (tx) => dispatchCorp(tx, now, limit));
      if (n === null || n === 0) break;
      result.sent += n;
      result.byCorp.set(corpId, (result.byCorp.get(corpId) ?? 0) + n);
      if (n < limit) break;
    }
  }
  return result;
}
