import type { z } from 'zod';
import type { TagOrigin } from '../../../contracts/customers.js';
import type { MessageMatchedPayload } from '../../../contracts/messages.js';
import { localTime } from '../rules/engine/schedule.js';

/** A tag's evidence as the customer detail shows it. */
export type Evidence = NonNullable<z.infer<typeof TagOrigin>['evidence']>;

/** The triggering event of a rule-made mark, as read from `events` (by the mark's `evidence_seq`). */
export type EvidenceEvent = { seq: number; type: string; at: Date; payload: unknown };

/** Times in evidence are the corp's wall clock; every corp is in China for now. */
const evidenceTimezone = 'Asia/Shanghai';

/** `YYYY-MM-DD HH:mm` in the evidence timezone, or '' for a missing or unreadable time. */
function wallClock(value: unknown): string {
  const at = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  return at && !Number.isNaN(at.getTime()) ? localTime(at, evidenceTimezone).slice(0, 16) : '';
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function list(value: unknown): string {
  return Array.isArray(value) ? value.filter((v) => typeof v === 'string').join(', ') : text(value);
}

/** Drops empty fields, so the console shows only what the event had. */
function compact(details: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(details).filter(([, v]) => v !== ''));
}

/**
 * The type, the fields worth showing and an English one-line summary of each trigger event. The
 * console builds its own localized sentence from `type` and `details` and falls back to `summary`.
 */
const describers: Record<string, (payload: Record<string, unknown>, at: Date) => Omit<Evidence, 'seq' | 'at'>> = {
  'message.matched': (p) => {
    const m = p as Partial<MessageMatchedPayload>;
    const details = compact({ keywords: list(m.keywords), userid: text(m.userid), time: wallClock(m.sentAt) });
    return { type: 'message.matched', details, summary: `message at ${details.time ?? '?'} contained ${details.keywords ?? ''}`.trim() };
  },
  'contact_way.customer_added': (p) => {
    const details = compact({ state: text(p.state), configId: text(p.configId), userid: text(p.userid) });
    const state = details.state ? ` (state ${details.state})` : '';
    return { type: 'contact_way.customer_added', details, summary: `added through contact way ${details.configId ?? '?'}${state}` };
  },
  'group_chat.member_joined': (p) => {
    const details = compact({ chatId: text(p.chatId), state: text(p.state), time: wallClock(p.joinTime) });
    return { type: 'group_chat.member_joined', details, summary: `joined group chat ${details.chatId ?? ''}${details.time ? ` at ${details.time}` : ''}` };
  },
  'customer_event.recorded': (p) => {
    // The event lists each new fact (type, target); a batch may hold several, so the targets are listed.
    const facts = Array.isArray(p.facts) ? (p.facts as { target?: unknown }[]) : [];
    const targets = [...new Set(facts.map((f) => text(f?.target)).filter(Boolean))];
    const details = compact({ eventType: list(p.types), target: text(p.target) || targets.slice(0, 3).join(', ') });
    return { type: 'customer_event.recorded', details, summary: `customer event ${details.eventType ?? ''}${details.target ? ` on ${details.target}` : ''}` };
  },
  'webhook.received': (p) => {
    const details = compact({ sourceId: text(p.sourceId), eventType: text(p.eventType), target: text(p.target) });
    return {
      type: 'webhook.received',
      details,
      summary: `webhook ${details.eventType ?? ''} from ${details.sourceId ?? '?'}${details.target ? ` on ${details.target}` : ''}`,
    };
  },
  'rule.ran': (p, at) => {
    const details = compact({ time: wallClock(p.dueAt) || wallClock(at) });
    return { type: 'schedule', details, summary: `scheduled run at ${details.time}` };
  },
};

/**
 * Describes the event that made a rule fire for a customer: its `type` (`schedule` for a scheduled
 * run's `rule.ran`), the fields worth showing, and an English summary. An event type this does not
 * know shows as itself, with no details, so a new trigger never breaks the customer page.
 */
export function describeEvidence(event: EvidenceEvent): Evidence {
  const describe = describers[event.type];
  const payload = event.payload !== null && typeof event.payload === 'object' ? (event.payload as Record<string, unknown>) : {};
  const described = describe ? describe(payload, event.at) : { type: event.type, details: {}, summary: event.type };
  return { seq: event.seq, at: event.at.toISOString(), ...described };
}
