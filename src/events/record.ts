import { type SQL, sql } from 'drizzle-orm';
import { actorLabel, type Ctx, type TxCtx } from '../context.js';
import { events } from '../db/schema/index.js';
import type { EventType } from './catalog.js';

/** One event to append: what happened to which subject, with the state before and after. */
export type NewEvent = {
  type: EventType;
  subjectType:
    | 'corp'
    | 'tag_group'
    | 'tag'
    | 'personal_tag'
    | 'follow'
    | 'customer'
    | 'app'
    | 'employee'
    | 'strategy'
    | 'department'
    | 'role'
    | 'audience'
    | 'operation'
    | 'webhook_source'
    | 'contact_way'
    | 'rule'
    | 'group_chat'
    | 'join_way'
    | 'moment'
    | 'webhook_subscription'
    | 'webhook_delivery';
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

/**
 * The same event as an `insert … select` fragment, for a command that writes in one statement
 * (mark_tag, the hottest write): `payload` is an SQL expression over that statement's own CTEs,
 * and `when` decides whether the row is written. The statement is its own transaction.
 */
export function eventInsertSql(ctx: Ctx, event: Omit<NewEvent, 'payload' | 'before' | 'after'>, payload: SQL, when: SQL): SQL {
  return sql`insert into events (corp_id, type, actor, source, subject_type, subject_id, payload, reason, operation_id, request_id)
    select ${ctx.corpId}, ${event.type}, ${actorLabel(ctx.actor)}, ${ctx.source}, ${event.subjectType}, ${event.subjectId}, ${payload}, ${event.reason ?? null}, ${event.operationId ?? null}, ${ctx.requestId ?? null}
    where ${when}
    returning seq`;
}
