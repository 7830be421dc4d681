import { actorLabel, type TxCtx } from '../context.js';
import { events } from '../db/schema/index.js';
import type { EventType } from './catalog.js';

/** One event to append: what happened to which subject, with the state before and after. */
export type NewEvent = {
  type: EventType;
  subjectType: 'corp' | 'tag_group' | 'tag' | 'personal_tag' | 'follow' | 'customer' | 'app' | 'employee';
  subjectId: string;
  before?: unknown;
  after?: unknown;
  payload?: unknown;
  reason?: string;
  operationId?: string;
};

/**
 * Appends an event in the command's own transaction: the audit log entry and the outbox row
 * commit or roll back with the change itself. Returns the event's sequence number.
 */
export async function recordEvent(ctx: TxCtx, event: NewEvent): Promise<number> {
  const [row] = await ctx.tx
    .insert(events)
    .values({
      corpId: ctx.corpId,
      type: event.type,
      actor: actorLabel(ctx.actor),
      source: ctx.source,
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      before: event.before ?? null,
      after: event.after ?? null,
      payload: event.payload ?? null,
      reason: event.reason ?? null,
      operationId: event.operationId ?? null,
      requestId: ctx.requestId ?? null,
    })
    .returning({ seq: events.seq });
  return row!.seq;
}
