import { z } from 'zod';
import { Id, IdList, Timestamp } from './common.js';

// ---- input ----

/** An actor as the audit log writes it: `user:USERID`, `app:APPID` or `system:NAME`. */
export const ActorLabel = z.string().regex(/^(user|app|system):.+$/, 'an actor such as user:zhangsan or app:customer_contact');

/** An instant with its offset, e.g. `2026-11-26T08:00:00Z` or `2026-11-26T16:00:00+08:00`. */
const Instant = z.iso.datetime({ offset: true });

/** The filters shared by `GET /audit` and `GET /audit/export`; all of them must hold. */
export const AuditFilterFields = {
  actor: ActorLabel.optional().meta({ description: 'Only events by this actor (`user:zhangsan`, `app:customer_contact`).' }),
  customer: Id.optional().meta({
    description: 'Only events about this customer (external_userid): its follow relations, the customer itself, or naming it in the payload.',
  }),
  tag: Id.optional().meta({
    description:
      "Only events about this tag: the tag itself, or tag changes on customers that added or removed it. Someone else's personal tag matches nothing.",
  }),
  type: IdList.meta({ description: 'Only these event types (comma-separated or repeated), e.g. `tag.deleted`.' }),
  operationId: Id.optional().meta({ description: 'Only events of one operation (a deletion, a hand-over…).' }),
  from: Instant.optional().meta({ description: 'Only events at or after this instant.' }),
  to: Instant.optional().meta({ description: 'Only events before this instant.' }),
};

function fromBeforeTo(q: { from?: string; to?: string }) {
  return q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to);
}

/** `GET /audit`: filters plus keyset paging, newest first. */
export const AuditQuery = z
  .strictObject({
    ...AuditFilterFields,
    cursor: z.string().optional().meta({ description: 'The `nextCursor` of the previous page.' }),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .refine(fromBeforeTo, { message: '`from` must be before `to`', path: ['to'] });

/** `GET /audit/export`: the same filters; the whole result, streamed as CSV. */
export const AuditExportQuery = z.strictObject(AuditFilterFields).refine(fromBeforeTo, { message: '`from` must be before `to`', path: ['to'] });

// ---- output ----

/** What an event is about: a tag, a follow relation (`userid|external_userid`), a customer… */
export const AuditSubject = z.object({
  type: z.string(),
  id: z.string().nullable().meta({ description: "Null when redacted (someone else's personal tag)." }),
});

/** One audit log entry. */
export const AuditEvent = z.object({
  seq: z.number().meta({ description: "Position in the corp's log; larger is newer." }),
  type: z.string(),
  actor: z.string(),
  actorName: z
    .string()
    .nullable()
    .meta({ description: "The employee's name when the actor is `user:ID` and the employee is known; null for apps and the system." }),
  source: z.string().meta({ description: 'Where the change came from: console, api, wecom-api, import, rule, cli, demo, system.' }),
  subject: AuditSubject,
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  payload: z.unknown().nullable(),
  reason: z.string().nullable(),
  operationId: z.string().nullable(),
  requestId: z.string().nullable(),
  at: Timestamp,
  redacted: z.boolean().meta({ description: 'True when personal-tag details the reader may not see were left out.' }),
});

/** `GET /audit`: one page, newest first; `nextCursor` is null on the last. */
export const AuditPage = z.object({ events: z.array(AuditEvent), nextCursor: z.string().nullable() });

/** An audit entry as the console receives it. */
export type AuditEventDto = z.infer<typeof AuditEvent>;
/** A page of the audit log as the console receives it. */
export type AuditPageDto = z.infer<typeof AuditPage>;
