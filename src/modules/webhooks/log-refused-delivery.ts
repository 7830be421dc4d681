import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { webhookDeliveries } from '../../db/schema/index.js';
import type { WebhookSourceRow } from './webhooks.repo.js';

/** How many refused deliveries a source keeps; older ones are dropped as new ones come in. */
export const refusedDeliveriesKept = 1000;

/** A refusal to log: the answer's status and code, why, and what the payload mapped to as far as known. */
export type RefusedDelivery = { deliveryId?: string; status: number; code: string; reason: string; eventType?: string; externalUserid?: string };

/**
 * Logs a refused delivery in its own transaction (the delivery's own, if any, rolled back), so the
 * console lists why a sender's calls fail. It writes no audit event: a refusal changes nothing, and
 * anyone who knows a source's URL can send them, so only the newest 1,000 per source are kept, as
 * the login throttle keeps its failures.
 */
export async function logRefusedDelivery(db: Db, source: WebhookSourceRow, refusal: RefusedDelivery): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(webhookDeliveries).values({
      corpId: source.corpId,
      sourceId: source.sourceId,
      deliveryId: refusal.deliveryId ?? null,
      outcome: 'refused',
      status: refusal.status,
      code: refusal.code,
      reason: refusal.reason.slice(0, 500),
      eventType: refusal.eventType ?? null,
      externalUserid: refusal.externalUserid ?? null,
    });
    await tx.execute(sql`
      delete from webhook_deliveries
      where corp_id = ${source.corpId} and source_id = ${source.sourceId} and outcome = 'refused'
        and id < (select id from webhook_deliveries where corp_id = ${source.corpId} and source_id = ${source.sourceId} and outcome = 'refused'
                  order by id desc offset ${refusedDeliveriesKept - 1} limit 1)`);
  });
}
