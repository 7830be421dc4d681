import { InteractionKind } from '../../../../contracts/moments.js';
import type { OutboxEvent } from '../../../events/snapshot-cursor.js';

/** One Moments interaction as the suppression consumer reads it off a `customer_event.recorded` event. */
export type MomentFact = { externalUserid: string; momentId: string; kind: InteractionKind; occurredAt: Date };

const prefix = 'moment.';

/**
 * The Moments interactions (`moment.<kind>` facts, the post as target) an outbox event lists; none
 * for other events or facts. Payload fields are read defensively: old events may lack `facts`.
 */
export function momentFactsOf(event: OutboxEvent): MomentFact[] {
  if (event.type !== 'customer_event.recorded') return [];
  const facts = (event.payload as { facts?: unknown } | null)?.facts;
  if (!Array.isArray(facts)) return [];
  return facts.flatMap((f: Record<string, unknown>) => {
    if (typeof f?.type !== 'string' || !f.type.startsWith(prefix)) return [];
    const kind = InteractionKind.safeParse(f.type.slice(prefix.length));
    const occurredAt = new Date(typeof f.occurredAt === 'string' ? f.occurredAt : event.at);
    if (!kind.success || typeof f.externalUserid !== 'string' || typeof f.target !== 'string' || f.target === '') return [];
    return [{ externalUserid: f.externalUserid, momentId: f.target, kind: kind.data, occurredAt: Number.isNaN(occurredAt.getTime()) ? event.at : occurredAt }];
  });
}
