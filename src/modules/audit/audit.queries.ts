import { and, desc, eq, gte, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../../context.js';
import { events, personalTags, tags } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { eventTypes } from '../../events/catalog.js';
import { type Policy, policyFor } from '../../policies/index.js';
import { type AuditEntry, redactForReader } from './audit.redaction.js';
import { auditScope, listsMayName, narrowToScope } from './audit.scope.js';

/** The audit log's filters; every one given must hold. Times are ISO 8601 instants. */
export type AuditFilters = {
  actor?: string;
  customer?: string;
  tag?: string;
  type?: string[];
  operationId?: string;
  from?: string;
  to?: string;
};

/** One page of the log, newest first, as the reader may see it; `nextCursor` is null on the last. */
export type AuditPageRows = { entries: AuditEntry[]; nextCursor: string | null };

// The cursor is the last `seq` handed out, tagged so that garbage never decodes to a valid one.
function encodeCursor(seq: number): string {
  return Buffer.from(`audit:${seq}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^audit:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new AppError('invalid_cursor', { details: [{ path: 'query.cursor', message: 'not a nextCursor of the audit log' }] });
  return Number(match[1]);
}

function contains(value: unknown): SQL {
  return sql`${events.payload} @> ${JSON.stringify(value)}::jsonb`;
}

/**
 * Events about one customer: its follow relations (subject `userid|external_userid`, matched on
 * the same expression `events_follow_customer_idx` indexes), the customer itself, or a payload
 * naming it (mark_tag writes `externalUserid`, bulk creation and smart tags `externalUserids`;
 * those lists only when `inLists`).
 */
function customerCondition(externalUserid: string, inLists: boolean): SQL {
  return or(
    and(eq(events.subjectType, 'follow'), sql`split_part(${events.subjectId}, '|', 2) = ${externalUserid}`),
    and(eq(events.subjectType, 'customer'), eq(events.subjectId, externalUserid)),
    contains({ externalUserid }),
    inLists ? contains({ externalUserids: [externalUserid] }) : undefined,
  )!;
}

/** Events about one tag: the tag itself, marks that added or removed it, group events listing it. */
function tagCondition(tagId: string): SQL {
  return or(
    and(inArray(events.subjectType, ['tag', 'personal_tag']), eq(events.subjectId, tagId)),
    contains({ added: [tagId] }),
    contains({ removed: [tagId] }),
    contains({ tagIds: [tagId] }),
  )!;
}

/**
 * Whether the reader may filter by this tag: any enterprise tag (deleted ones too), or a personal
 * tag of their own. Anyone else's personal tag, or an id that names nothing, matches no event,
 * so filtering cannot be used to count someone's personal-tag activity.
 */
async function mayFilterByTag(ctx: Ctx, tagId: string): Promise<boolean> {
  const [enterprise] = await ctx.db
    .select({ id: tags.tagId })
    .from(tags)
    .where(and(eq(tags.corpId, ctx.corpId), eq(tags.tagId, tagId)));
  if (enterprise) return true;
  const [personal] = await ctx.db
    .select({ owner: personalTags.ownerUserid })
    .from(personalTags)
    .where(and(eq(personalTags.corpId, ctx.corpId), eq(personalTags.tagId, tagId)));
  return personal !== undefined && ctx.actor.kind === 'employee' && personal.owner === ctx.actor.userid;
}

/** The reader's policy; throws `forbidden` unless it grants `audit.view` (ranged apps' never does). */
async function authorizeAudit(ctx: Ctx): Promise<Policy> {
  const policy = await policyFor(ctx);
  policy.authorize('audit.view');
  return policy;
}

function checkTypes(types: string[]): void {
  const unknown = types.filter((t) => !(eventTypes as readonly string[]).includes(t));
  if (unknown.length > 0) {
    throw new AppError('validation_failed', {
      message: `Unknown event type: ${unknown.join(', ')}.`,
      details: unknown.map((t) => ({ path: 'query.type', message: 'not an event type', type: t })),
    });
  }
}

/**
 * One page of the corp's audit log, newest first, keyset-paged by `seq` so pages stay stable while
 * events are appended. Requires `audit.view`; a reader whose data scope is not the whole corp reads
 * only the events about what it reaches (see `auditScope`), and personal-tag details are redacted
 * for anyone but their owner (see `redactForReader`).
 */
export async function pageAuditEvents(ctx: Ctx, filters: AuditFilters, page: { cursor?: string; limit: number }): Promise<AuditPageRows> {
  const policy = await authorizeAudit(ctx);
  checkTypes(filters.type ?? []);
  const conds: SQL[] = [eq(events.corpId, ctx.corpId)];
  const scope = await auditScope(ctx, policy);
  if (scope) conds.push(scope);
  if (page.cursor) conds.push(lt(events.seq, decodeCursor(page.cursor)));
  if (filters.actor) conds.push(eq(events.actor, filters.actor));
  if (filters.type && filters.type.length > 0) conds.push(inArray(events.type, filters.type));
  if (filters.operationId) conds.push(eq(events.operationId, filters.operationId));
  if (filters.from) conds.push(gte(events.at, new Date(filters.from)));
  if (filters.to) conds.push(lt(events.at, new Date(filters.to)));
  if (filters.customer) conds.push(customerCondition(filters.customer, await listsMayName(ctx, policy, filters.customer)));
  if (filters.tag) {
    if (!(await mayFilterByTag(ctx, filters.tag))) return { entries: [], nextCursor: null };
    conds.push(tagCondition(filters.tag));
  }
  const rows = await ctx.db
    .select()
    .from(events)
    .where(and(...conds))
    .orderBy(desc(events.seq))
    .limit(page.limit + 1);
  const shown = rows.slice(0, page.limit);
  const last = shown[shown.length - 1];
  return {
    entries: await narrowToScope(ctx, policy, await redactForReader(ctx, shown)),
    nextCursor: rows.length > page.limit && last ? encodeCursor(last.seq) : null,
  };
}
