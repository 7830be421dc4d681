import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../../db/client.js';
import { wecomPushQueue } from '../../../db/schema/index.js';
import type { ConsumerDefinition } from '../../../events/consumer.js';
import type { OutboxEvent } from '../../../events/snapshot-cursor.js';
import { randomToken } from '../../../ids.js';
import { type GroupFacts, type LibraryFacts, netRelationChanges, type PlannedRow, planLibraryRows, planMarkRows, type RelationChange } from './plan.js';

/** The consumer's name: its cursor's key, and the actor of what it writes (`system:wecom-push`). */
export const pushConsumerName = 'wecom-push';

/** A new queue item id. */
export const newPushItemId = () => `pq${randomToken(22)}`;

const libraryTypes = [
  'tag_group.created',
  'tag_group.updated',
  'tag_group.deleted',
  'tag_group.restored',
  'tag.created',
  'tag.updated',
  'tag.deleted',
  'tag.restored',
];
const markTypes = ['follow.tags_changed', 'operation.applied'];

/**
 * The push to WeCom as a durable consumer: while the corp's connection has `push_enabled`, each page's
 * tag-library and mark changes become `wecom_push_queue` rows in the page's transaction (so exactly
 * once per event), sent later by the pusher. Events that came FROM WeCom (source `wecom-sync`) are
 * skipped, so nothing echoes back. With no connection or push off, events pass and nothing is
 * queued: the next full pull reconciles, and turning push on does not replay history.
 */
export function wecomPush(): ConsumerDefinition {
  return {
    name: pushConsumerName,
    types: [...libraryTypes, ...markTypes],
    source: 'system',
    handle: async (ctx, events) => {
      if (events.length === 0) return;
      const [conn] = await queryRows<{ push_enabled: boolean }>(ctx.tx, sql`select push_enabled from wecom_connections where corp_id = ${ctx.corpId}`);
      if (!conn?.push_enabled) return;
      const local = await withoutSyncedEvents(ctx.tx, ctx.corpId, events);
      if (local.length === 0) return;
      const rows = await planPage(ctx.tx, ctx.corpId, local);
      if (rows.length === 0) return;
      await ctx.tx.insert(wecomPushQueue).values(rows.map((r) => ({ corpId: ctx.corpId, itemId: newPushItemId(), ...r })));
    },
  };
}

// The consumer's events carry no source: read it, and drop what the pull and the callbacks applied.
async function withoutSyncedEvents(tx: Tx, corpId: string, events: OutboxEvent[]): Promise<OutboxEvent[]> {
  const synced = await queryRows<{ seq: number | string }>(
    tx,
    sql`select seq from events where corp_id = ${corpId} and seq = any(${sql.param(events.map((e) => e.seq))}::bigint[]) and source = 'wecom-sync'`,
  );
  const skip = new Set(synced.map((r) => Number(r.seq)));
  return events.filter((e) => !skip.has(e.seq));
}

/** The page's rows in event order: library rows and mark rows interleaved as their events were. */
async function planPage(tx: Tx, corpId: string, events: OutboxEvent[]): Promise<PlannedRow[]> {
  const changesByEvent = await relationChanges(tx, corpId, events);
  const tagIds = new Set<string>();
  const groupIds = new Set<string>();
  for (const e of events) {
    if (e.type.startsWith('tag.')) tagIds.add(e.subjectId);
    if (e.type.startsWith('tag_group.')) groupIds.add(e.subjectId);
    for (const c of changesByEvent.get(e.seq) ?? []) for (const t of [...c.add, ...c.remove]) tagIds.add(t);
  }
  const facts = await libraryFacts(tx, corpId, [...tagIds], [...groupIds]);
  const pushable = (tagId: string) => {
    const kind = facts.groups.get(facts.tags.get(tagId)?.groupId ?? '')?.kind;
    return kind === 'corp' || kind === 'strategy'; // WeCom's mark_tag takes corp and rule-group tags
  };
  const rows: PlannedRow[] = [];
  let run: OutboxEvent[] = [];
  const flush = () => {
    rows.push(...planLibraryRows(run, facts));
    run = [];
  };
  for (const e of events) {
    if (libraryTypes.includes(e.type)) {
      run.push(e);
      continue;
    }
    flush();
    rows.push(...planMarkRows(e, changesByEvent.get(e.seq) ?? [], pushable));
  }
  flush();
  return rows;
}

/** Each mark event's relation changes: from its payload (one relation) or its operation's journal (bulk marks, rule runs, batches, undo). */
async function relationChanges(tx: Tx, corpId: string, events: OutboxEvent[]): Promise<Map<number, RelationChange[]>> {
  const result = new Map<number, RelationChange[]>();
  const byOperation = new Map<string, number>();
  for (const e of events) {
    if (!markTypes.includes(e.type)) continue;
    const p = (e.payload ?? {}) as { userid?: unknown; externalUserid?: unknown; added?: unknown; removed?: unknown };
    if (e.type === 'follow.tags_changed' && typeof p.userid === 'string' && typeof p.externalUserid === 'string') {
      const ids = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
      result.set(e.seq, [{ userid: p.userid, externalUserid: p.externalUserid, add: ids(p.added), remove: ids(p.removed) }]);
    } else if (e.operationId && !byOperation.has(e.operationId)) {
      byOperation.set(e.operationId, e.seq); // one operation announced twice is pushed once
    }
  }
  if (byOperation.size === 0) return result;
  const journal = await queryRows<{ operation_id: string; external_userid: string; userid: string; tag_id: string; change: number }>(
    tx,
    sql`select operation_id, external_userid, userid, tag_id, change from operation_journal
      where corp_id = ${corpId} and operation_id = any(${sql.param([...byOperation.keys()])}::text[]) order by seq, item`,
  );
  for (const [operationId, seq] of byOperation) {
    const rows = journal.filter((j) => j.operation_id === operationId);
    result.set(seq, netRelationChanges(rows.map((j) => ({ externalUserid: j.external_userid, userid: j.userid, tagId: j.tag_id, change: Number(j.change) }))));
  }
  return result;
}

async function libraryFacts(tx: Tx, corpId: string, tagIds: string[], groupIds: string[]): Promise<LibraryFacts> {
  const tagRows = await queryRows<{ tag_id: string; group_id: string }>(
    tx,
    sql`select tag_id, group_id from tags where corp_id = ${corpId} and tag_id = any(${sql.param(tagIds)}::text[])`,
  );
  const allGroups = [...new Set([...groupIds, ...tagRows.map((t) => t.group_id)])];
  const groupRows = await queryRows<{ group_id: string; kind: GroupFacts['kind']; name: string; order: number | string }>(
    tx,
    sql`select group_id, kind, name, "order" from tag_groups where corp_id = ${corpId} and group_id = any(${sql.param(allGroups)}::text[])`,
  );
  return {
    tags: new Map(tagRows.map((t) => [t.tag_id, { groupId: t.group_id }])),
    groups: new Map(groupRows.map((g) => [g.group_id, { kind: g.kind, name: g.name, order: Number(g.order) }])),
  };
}
