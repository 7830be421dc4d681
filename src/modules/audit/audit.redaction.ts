import { and, eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../context.js';
import { type events, personalTags, tags } from '../../db/schema/index.js';

/** An event row as stored. */
export type EventRow = typeof events.$inferSelect;

/** An event as one reader may see it: `subjectId` is null and `redacted` set where details were withheld. */
export type AuditEntry = Omit<EventRow, 'subjectId'> & { subjectId: string | null; redacted: boolean };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const stringsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

// Secrets never belong in the log; should a future command put one there, the reader still never sees it.
const secretKey = /password|secret|token/i;

function scrubSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrubSecrets);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretKey.test(k) ? '[redacted]' : scrubSecrets(v)]));
}

/** The owner a personal_tag.* event recorded (created and deleted carry it), if any. */
function recordedOwner(row: EventRow): string | undefined {
  for (const side of [row.after, row.before]) if (isObject(side) && typeof side.owner === 'string') return side.owner;
  return undefined;
}

function tagChanges(row: EventRow): { owner: string; added: string[]; removed: string[] } | null {
  if (row.type !== 'follow.tags_changed' || !isObject(row.payload)) return null;
  const payload = row.payload;
  if (!Array.isArray(payload.added) && !Array.isArray(payload.removed)) return null; // bulk summaries name no tag
  // Personal tags are only ever marked on their owner's own relation, so the relation's employee
  // owns every personal tag id in the change.
  const owner = typeof payload.userid === 'string' ? payload.userid : (row.subjectId.split('|')[0] ?? '');
  return { owner, added: stringsOf(payload.added), removed: stringsOf(payload.removed) };
}

/**
 * Withholds personal-tag details from everyone but their owner (the native API's rule: an app
 * alone sees none). How personal tags are told apart: a `personal_tag.*` event is one by its type;
 * in a `follow.tags_changed` event every tag id that is not an enterprise tag (a row in `tags`,
 * which are only ever soft-deleted) counts as personal, so even a since-deleted personal tag (whose
 * `personal_tags` row is gone) never shows. The `pt` id prefix is not relied on.
 */
export async function redactForReader(ctx: Ctx, rows: EventRow[]): Promise<AuditEntry[]> {
  const reader = ctx.actor.kind === 'employee' ? ctx.actor.userid : null;
  const changes = new Map(rows.map((row) => [row.seq, tagChanges(row)]));
  const markedIds = [...new Set([...changes.values()].flatMap((c) => (c ? [...c.added, ...c.removed] : [])))];
  const enterprise = new Set(
    markedIds.length === 0
      ? []
      : (
          await ctx.db
            .select({ id: tags.tagId })
            .from(tags)
            .where(and(eq(tags.corpId, ctx.corpId), inArray(tags.tagId, markedIds)))
        ).map((r) => r.id),
  );
  const personalSubjects = [...new Set(rows.filter((r) => r.subjectType === 'personal_tag' && !recordedOwner(r)).map((r) => r.subjectId))];
  const owners = new Map(
    personalSubjects.length === 0
      ? []
      : (
          await ctx.db
            .select({ id: personalTags.tagId, owner: personalTags.ownerUserid })
            .from(personalTags)
            .where(and(eq(personalTags.corpId, ctx.corpId), inArray(personalTags.tagId, personalSubjects)))
        ).map((r) => [r.id, r.owner]),
  );

  return rows.map((row): AuditEntry => {
    if (row.subjectType === 'personal_tag' || row.type.startsWith('personal_tag.')) {
      // Without a recorded or stored owner nobody is shown as the owner, so the event stays redacted.
      const owner = recordedOwner(row) ?? owners.get(row.subjectId);
      if (reader === null || owner !== reader) return { ...row, subjectId: null, before: null, after: null, payload: null, redacted: true };
    }
    const change = changes.get(row.seq);
    if (change && change.owner !== reader) {
      const visible = (ids: string[]) => ids.filter((id) => enterprise.has(id));
      const added = visible(change.added);
      const removed = visible(change.removed);
      if (added.length !== change.added.length || removed.length !== change.removed.length) {
        return {
          ...row,
          before: scrubSecrets(row.before),
          after: scrubSecrets(row.after),
          payload: scrubSecrets({ ...(row.payload as Json), added, removed }),
          redacted: true,
        };
      }
    }
    return { ...row, before: scrubSecrets(row.before), after: scrubSecrets(row.after), payload: scrubSecrets(row.payload), redacted: false };
  });
}
