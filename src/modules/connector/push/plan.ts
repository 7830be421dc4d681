import type { WecomPushOp } from '../../../db/schema/index.js';

// What the `wecom-push` consumer queues for a page of events, as pure functions of the events and
// what the database says about the tags they name (so the rules read and test without a database).

/** One row to queue: the WeCom call to make, its order key, and a payload in LOCAL ids (mapped at send time). */
export type PlannedRow = { eventSeq: number; eventType: string; op: WecomPushOp; orderKey: string; payload: Record<string, unknown> };

/** The order key of every tag-library call: the library changes strictly in event order. */
export const libraryOrderKey = 'tags';

/** An event as the planner reads it (a subset of the consumer's event). */
export type PlanEvent = { seq: number; type: string; subjectId: string; payload: unknown; before: unknown; after: unknown };

/** A tag group's kind (only `corp` groups go to WeCom's corp-tag library) and its current name and order. */
export type GroupFacts = { kind: 'corp' | 'strategy' | 'smart'; name: string; order: number };

/** A tag's group, for its kind. */
export type TagFacts = { groupId: string };

/** What the planner knows of the tags and groups a page names. */
export type LibraryFacts = { groups: Map<string, GroupFacts>; tags: Map<string, TagFacts> };

/** One relation's net change: enterprise tag ids to put on and take off. */
export type RelationChange = { userid: string; externalUserid: string; add: string[]; remove: string[] };

type Snapshot = { name?: unknown; order?: unknown; groupId?: unknown } | null;
const snap = (value: unknown): Snapshot => (value && typeof value === 'object' ? (value as Snapshot) : null);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
// WeCom's order is an unsigned 32-bit integer; a local order outside it is not sent.
const wecomOrder = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 32 ? value : undefined;

/**
 * Tag-library rows for a page, in event order. A group is created in WeCom together with its first
 * tags (WeCom has no empty groups), so consecutive creations or restorations in one group merge into
 * one `add_corp_tag`; consecutive deletions merge into one `del_corp_tag`. A tag deleted with its group
 * is covered by the group's deletion. Strategy and smart groups are not pushed (WeCom's strategy
 * library has its own API; smart groups are local).
 */
export function planLibraryRows(events: readonly PlanEvent[], facts: LibraryFacts): PlannedRow[] {
  const rows: PlannedRow[] = [];
  const isCorpGroup = (groupId: string | undefined) => groupId !== undefined && facts.groups.get(groupId)?.kind === 'corp';
  const last = () => rows[rows.length - 1];
  const addTag = (event: PlanEvent, groupId: string, tag: { tagId: string; name: string; order?: number }) => {
    const prev = last();
    if (prev?.op === 'add_corp_tag' && prev.payload.groupId === groupId) {
      (prev.payload.tags as unknown[]).push(tag);
      return;
    }
    const group = facts.groups.get(groupId)!;
    rows.push({
      eventSeq: event.seq,
      eventType: event.type,
      op: 'add_corp_tag',
      orderKey: libraryOrderKey,
      payload: { groupId, groupName: group.name, groupOrder: wecomOrder(group.order), tags: [tag] },
    });
  };
  const deleteIds = (event: PlanEvent, field: 'tagIds' | 'groupIds', ids: string[]) => {
    const prev = last();
    if (prev?.op === 'del_corp_tag') {
      for (const f of ['tagIds', 'groupIds'] as const) prev.payload[f] ??= [];
      (prev.payload[field] as string[]).push(...ids);
      return;
    }
    rows.push({
      eventSeq: event.seq,
      eventType: event.type,
      op: 'del_corp_tag',
      orderKey: libraryOrderKey,
      payload: { tagIds: [], groupIds: [], [field]: ids },
    });
  };
  for (const event of events) {
    const before = snap(event.before);
    const after = snap(event.after);
    switch (event.type) {
      case 'tag.created':
      case 'tag.restored': {
        const groupId = text(after?.groupId) ?? facts.tags.get(event.subjectId)?.groupId;
        if (!isCorpGroup(groupId)) break;
        addTag(event, groupId!, { tagId: event.subjectId, name: text(after?.name) ?? '', ...orderField(after?.order) });
        break;
      }
      case 'tag.updated':
      case 'tag_group.updated': {
        const groupId = event.type === 'tag.updated' ? facts.tags.get(event.subjectId)?.groupId : event.subjectId;
        if (!isCorpGroup(groupId)) break;
        const name = text(after?.name) !== text(before?.name) ? text(after?.name) : undefined;
        const order = wecomOrder(after?.order) !== wecomOrder(before?.order) ? wecomOrder(after?.order) : undefined;
        if (name === undefined && order === undefined) break; // a colour, description or scope change: WeCom has none
        const id = event.type === 'tag.updated' ? { tagId: event.subjectId } : { groupId: event.subjectId };
        rows.push({
          eventSeq: event.seq,
          eventType: event.type,
          op: 'edit_corp_tag',
          orderKey: libraryOrderKey,
          payload: { ...id, ...(name === undefined ? {} : { name }), ...(order === undefined ? {} : { order }) },
        });
        break;
      }
      case 'tag.deleted': {
        if ((event.payload as { withGroup?: unknown } | null)?.withGroup === true) break;
        if (!isCorpGroup(text(before?.groupId) ?? facts.tags.get(event.subjectId)?.groupId)) break;
        deleteIds(event, 'tagIds', [event.subjectId]);
        break;
      }
      case 'tag_group.deleted': {
        if (!isCorpGroup(event.subjectId)) break;
        deleteIds(event, 'groupIds', [event.subjectId]);
        // The group's tags go with it in WeCom; their mappings are dropped when the call succeeds.
        const tagIds = (event.payload as { tagIds?: unknown } | null)?.tagIds;
        const prev = last()!;
        prev.payload.groupTagIds = [
          ...((prev.payload.groupTagIds as string[] | undefined) ?? []),
          ...(Array.isArray(tagIds) ? tagIds.filter((t) => typeof t === 'string') : []),
        ];
        break;
      }
      // tag_group.created and tag_group.restored: the group reaches WeCom with its tags' rows (no empty groups there).
    }
  }
  return rows;
}

function orderField(order: unknown): { order?: number } {
  const value = wecomOrder(order);
  return value === undefined ? {} : { order: value };
}

/** One `mark_tag` row per relation whose enterprise tags changed; personal and smart tags are left out (WeCom has no API for them). */
export function planMarkRows(event: { seq: number; type: string }, changes: readonly RelationChange[], pushable: (tagId: string) => boolean): PlannedRow[] {
  const rows: PlannedRow[] = [];
  for (const change of changes) {
    const add = change.add.filter(pushable);
    const remove = change.remove.filter(pushable);
    if (add.length === 0 && remove.length === 0) continue;
    rows.push({
      eventSeq: event.seq,
      eventType: event.type,
      op: 'mark_tag',
      orderKey: change.externalUserid,
      payload: { userid: change.userid, external_userid: change.externalUserid, add_tag: add, remove_tag: remove },
    });
  }
  return rows;
}

/**
 * The net change per relation of an operation's journal rows (in journal order): the last change of
 * a mark wins, so a "move" that removed and re-added a mark leaves it added.
 */
export function netRelationChanges(journal: readonly { externalUserid: string; userid: string; tagId: string; change: number }[]): RelationChange[] {
  const byRelation = new Map<string, { userid: string; externalUserid: string; last: Map<string, number> }>();
  for (const row of journal) {
    const key = `${row.userid}|${row.externalUserid}`;
    let entry = byRelation.get(key);
    if (!entry) byRelation.set(key, (entry = { userid: row.userid, externalUserid: row.externalUserid, last: new Map() }));
    entry.last.set(row.tagId, row.change);
  }
  return [...byRelation.values()].map((e) => ({
    userid: e.userid,
    externalUserid: e.externalUserid,
    add: [...e.last].filter(([, c]) => c > 0).map(([t]) => t),
    remove: [...e.last].filter(([, c]) => c < 0).map(([t]) => t),
  }));
}
