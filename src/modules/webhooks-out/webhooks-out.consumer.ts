import { type SQL, sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../db/client.js';
import type { ConsumerDefinition } from '../../events/consumer.js';
import type { OutboxEvent } from '../../events/snapshot-cursor.js';
import { filterMatches } from './event-filter.js';
import { buildPayload, eventData, type WecomIds } from './payload.js';
import { newDeliveryId } from './subscriptions.repo.js';

/** The consumer's name: its cursor's key in `event_consumers`. */
export const webhooksOutConsumerName = 'webhooks-out';

type SubscriptionFilter = { subscription_id: string; event_types: string[]; created_at: string | Date };

/**
 * Outbound webhooks as a durable consumer of the events spine: for each event, one `webhook_outbox`
 * row per enabled subscription whose filter matches, written in the page's transaction, so each
 * (event, subscription) is queued exactly once (a replayed page hits the unique idempotency key
 * `<subscriptionId>:<event seq>` and adds nothing). The sender delivers them at least once after.
 * It reads from the corp's first event, so nothing committed before its first poll is missed; a
 * subscription only gets events that happened after it was created.
 */
export function webhooksOut(): ConsumerDefinition {
  return {
    name: webhooksOutConsumerName,
    startAt: 'beginning',
    source: 'system',
    handle: async (ctx, events) => {
      // A ping is queued by its command for its one subscription.
      const deliverable = events.filter((e) => e.type !== 'webhook_subscription.pinged');
      if (deliverable.length === 0) return;
      const subscriptions = await queryRows<SubscriptionFilter>(
        ctx.tx,
        sql`select subscription_id, event_types, created_at from webhook_subscriptions where corp_id = ${ctx.corpId} and enabled`,
      );
      if (subscriptions.length === 0) return;
      const sources = new Map(
        (
          await queryRows<{ seq: number | string; source: string }>(
            ctx.tx,
            sql`select seq, source from events where corp_id = ${ctx.corpId} and seq = any(${sql.param(deliverable.map((e) => e.seq))}::bigint[])`,
          )
        ).map((r) => [Number(r.seq), r.source]),
      );
      const wecomIds = await wecomIdsOf(ctx.tx, ctx.corpId, deliverable);
      const rows: SQL[] = [];
      for (const event of deliverable) {
        const targets = subscriptions.filter((s) => filterMatches(s.event_types, event.type) && event.at.getTime() >= new Date(s.created_at).getTime());
        if (targets.length === 0) continue;
        const data = eventData(event, wecomIds);
        for (const sub of targets) {
          const key = `${sub.subscription_id}:${event.seq}`;
          const payload = buildPayload({
            idempotencyKey: key,
            type: event.type,
            at: event.at,
            corpId: ctx.corpId,
            source: sources.get(event.seq) ?? 'system',
            subject: { type: event.subjectType, id: event.subjectId },
            data,
          });
          rows.push(sql`(${ctx.corpId}, ${newDeliveryId()}, ${sub.subscription_id}, ${event.seq}, ${event.type}, ${JSON.stringify(payload)}::jsonb, ${key})`);
        }
      }
      for (let i = 0; i < rows.length; i += 500)
        await ctx.tx.execute(sql`insert into webhook_outbox (corp_id, delivery_id, subscription_id, event_seq, event_type, payload, idempotency_key)
          values ${sql.join(rows.slice(i, i + 500), sql`, `)} on conflict do nothing`);
    },
  };
}

// The WeCom ids of the page's tags and groups, so `data.wecom.Id` names what WeCom's API knows.
async function wecomIdsOf(tx: Tx, corpId: string, events: OutboxEvent[]): Promise<WecomIds> {
  const subjects = events.filter((e) => e.subjectType === 'tag' || e.subjectType === 'tag_group');
  if (subjects.length === 0) return new Map();
  const rows = await queryRows<{ kind: string; local_id: string; remote_id: string }>(
    tx,
    sql`select kind, local_id, remote_id from wecom_id_map where corp_id = ${corpId} and kind in ('tag', 'tag_group')
      and local_id = any(${sql.param([...new Set(subjects.map((e) => e.subjectId))])}::text[])`,
  );
  return new Map(rows.map((r) => [`${r.kind}:${r.local_id}`, r.remote_id]));
}
