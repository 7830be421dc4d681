import type { MessageMatchedPayload } from '../../../../contracts/messages.js';
import type { OutboxEvent } from '../../../events/snapshot-cursor.js';
import type { RecordedFact } from '../../customer-events/customer-facts.js';
import type { TriggerEvent } from './trigger.js';

/**
 * A trigger event as the engine works on it: the outbox event's `seq` (the evidence a mark keeps),
 * the customer it is about, and for a message the rules its text satisfied when it came in.
 */
export type EngineEvent = {
  seq: number;
  /** When the event was recorded: a rule fires only on events recorded after it was switched on. */
  recordedAt: Date;
  event: Exclude<TriggerEvent, { kind: 'schedule' }>;
  ruleHits?: ReadonlyMap<string, readonly string[]>;
  /** A message's keywords (of every rule enabled when it came in): what a dry run of a draft matches against. */
  keywords?: readonly string[];
};

/** The outbox event types the engine fires rules on. */
export const triggerEventTypes = [
  'message.matched',
  'contact_way.customer_added',
  'group_chat.member_joined',
  'customer_event.recorded',
  'webhook.received',
] as const;

/** The actor label of the engine's own writes; events it caused are never triggers for it. */
export const engineActor = 'rules';

type Payload = Record<string, unknown>;

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const dateOr = (v: unknown, fallback: Date): Date => {
  const d = typeof v === 'string' ? new Date(v) : fallback;
  return Number.isNaN(d.getTime()) ? fallback : d;
};

/**
 * The trigger events an outbox event carries (none for other types, for a member who is an
 * employee, or for the engine's own writes). A `customer_event.recorded` event lists several facts;
 * each is a behaviour trigger. Payload fields are read defensively: old events may lack newer ones.
 */
export function engineEvents(outbox: OutboxEvent): EngineEvent[] {
  if (outbox.actor === `system:${engineActor}`) return [];
  const p = (outbox.payload ?? {}) as Payload;
  const seq = outbox.seq;
  const recordedAt = outbox.at;
  switch (outbox.type) {
    case 'message.matched': {
      const m = p as unknown as Partial<MessageMatchedPayload>;
      const ruleHits = new Map((m.rules ?? []).map((r) => [r.ruleId, r.keywords] as const));
      return [
        {
          seq,
          recordedAt,
          ruleHits,
          keywords: m.keywords ?? [],
          event: { kind: 'message', at: dateOr(m.sentAt, outbox.at), externalUserid: outbox.subjectId, userid: text(m.userid) },
        },
      ];
    }
    case 'contact_way.customer_added':
      return [
        {
          seq,
          recordedAt,
          event: {
            kind: 'customer.added',
            at: dateOr(p.addTime, outbox.at),
            externalUserid: text(p.externalUserid),
            userid: text(p.userid),
            state: text(p.state),
          },
        },
      ];
    case 'group_chat.member_joined':
      if (typeof p.externalUserid !== 'string') return [];
      return [
        {
          seq,
          recordedAt,
          event: {
            kind: 'groupchat.joined',
            at: dateOr(p.joinTime, outbox.at),
            externalUserid: p.externalUserid,
            chatId: text(p.chatId),
            state: text(p.state),
          },
        },
      ];
    case 'customer_event.recorded':
      return ((p.facts ?? []) as RecordedFact[]).map((f) => ({
        seq,
        recordedAt,
        event: { kind: 'behaviour', at: dateOr(f.occurredAt, outbox.at), externalUserid: f.externalUserid, eventType: f.type, target: f.target },
      }));
    case 'webhook.received': {
      const fields = Object.fromEntries(Object.entries((p.fields ?? {}) as Payload).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
      return [
        {
          seq,
          recordedAt,
          event: { kind: 'webhook', at: outbox.at, externalUserid: text(p.externalUserid), sourceId: text(p.sourceId), eventType: text(p.eventType), fields },
        },
      ];
    }
    default:
      return [];
  }
}
