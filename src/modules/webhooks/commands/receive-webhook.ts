import { sql } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { recordCustomerEvents } from '../../customer-events/record-customer-events.js';
import type { MappedDelivery } from '../mapping/mapping.js';
import type { WebhookSourceRow } from '../webhooks.repo.js';

/** A verified, mapped delivery to record. */
export type ReceiveWebhookInput = { source: WebhookSourceRow; deliveryId: string; mapped: MappedDelivery; receivedAt: Date };

/**
 * Records a verified delivery: its log line as accepted (the unique delivery id per source refuses
 * a replay, also one racing this transaction), the behaviour fact `webhook.<type>` the audience
 * language counts, and the outbox event `webhook.received` that tagging rules trigger on. An unknown
 * customer refuses the whole delivery (`unmapped_customer`), leaving nothing but the caller's log line.
 */
export async function receiveWebhook(ctx: TxCtx, input: ReceiveWebhookInput): Promise<{ id: number }> {
  const { source, deliveryId, mapped } = input;
  const [accepted] = await queryRows<{ id: number }>(
    ctx.tx,
    sql`
    insert into webhook_deliveries (corp_id, source_id, delivery_id, outcome, status, event_type, external_userid, fields, received_at)
    values (${ctx.corpId}, ${source.sourceId}, ${deliveryId}, 'accepted', 202, ${mapped.eventType}, ${mapped.externalUserid}, ${JSON.stringify(mapped.fields)}::jsonb, ${input.receivedAt.toISOString()})
    on conflict (corp_id, source_id, delivery_id) where outcome = 'accepted' do nothing
    returning id`,
  );
  if (!accepted)
    throw new AppError('delivery_replayed', { message: `Delivery "${deliveryId}" was already accepted for this source; it is not recorded twice.` });
  try {
    await recordCustomerEvents(ctx, [
      {
        externalUserid: mapped.externalUserid,
        type: mapped.factType,
        target: mapped.target,
        occurredAt: input.receivedAt,
        dedupKey: `webhook:${source.sourceId}:${deliveryId}`,
      },
    ]);
  } catch (error) {
    if (error instanceof AppError && error.code === 'customer_not_found') {
      throw new AppError('unmapped_customer', {
        message: `No customer "${mapped.externalUserid}" in this corp.`,
        details: [{ path: source.mapping.externalUserid, message: 'unknown customer' }],
      });
    }
    throw error;
  }
  await recordEvent(ctx, {
    type: 'webhook.received',
    subjectType: 'webhook_source',
    subjectId: source.sourceId,
    payload: {
      sourceId: source.sourceId,
      deliveryId,
      eventType: mapped.eventType,
      factType: mapped.factType,
      externalUserid: mapped.externalUserid,
      target: mapped.target,
      fields: mapped.fields,
    },
  });
  return { id: Number(accepted.id) };
}
