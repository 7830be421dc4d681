import { sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../../db/client.js';
import { idMaps, linkIds, type MappedKind, remoteIdOf, unlinkLocal } from '../id-map.js';
import { type WecomAnswer, type WecomClient, WecomError } from '../wecom-client.js';
import { type ClaimedItem, libraryPendingBefore } from './queue.js';

/** A mapping to write with a delivery (an added tag's WeCom id) or to drop (a deleted tag's). */
export type IdChange = { kind: MappedKind; localId: string; remoteId?: string };

/** What became of one attempt: sent, sent nowhere (must wait), failed (WeCom's errcode), or given up on before calling. */
export type SendOutcome =
  | { kind: 'delivered'; ids: IdChange[] }
  | { kind: 'wait'; ms: number; reason: string }
  | { kind: 'failed'; errcode: number; errmsg: string; retryable: boolean }
  | { kind: 'undeliverable'; reason: string };

/** How long a mark waits for the tag it names to be created in WeCom before it looks again. */
export const waitForTagMs = 5_000;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
// WeCom's "invalid tag or group id": the thing is already gone there.
const invalidId = 40068;
const nameExists = 40071;

/**
 * Sends one claimed row to WeCom, mapping local ids to WeCom's at send time, and says what became
 * of it. Never inside a transaction: mappings are read in short transactions of their own before
 * the call, and written by the caller with the outcome.
 */
export async function sendItem(db: Db, client: WecomClient, item: ClaimedItem): Promise<SendOutcome> {
  try {
    switch (item.op) {
      case 'mark_tag':
        return await sendMark(db, client, item);
      case 'add_corp_tag':
        return await sendAdd(db, client, item);
      case 'edit_corp_tag':
        return await sendEdit(db, client, item);
      case 'del_corp_tag':
        return await sendDelete(db, client, item);
    }
  } catch (error) {
    if (error instanceof WecomError) return { kind: 'failed', errcode: error.errcode, errmsg: error.errmsg, retryable: error.retryable };
    throw error;
  }
}

const read = <T>(db: Db, fn: (tx: Tx) => Promise<T>) => db.transaction(fn);

/** What a mark row sends, worked out against the local marks and the id map just before the call. */
export type PreparedMark = { toRemote: Map<string, string>; unmapped: string[]; waiting: boolean; stillAdded: string[]; stillRemoved: string[] };

/**
 * Prepares a claimed batch of mark rows in one read transaction: the id map once, the relations'
 * marks in one query (a row per call would pay both again for every customer).
 */
export async function prepareMarks(db: Db, corpId: string, items: ClaimedItem[]): Promise<Map<string, PreparedMark>> {
  const marks = items.filter((i) => i.op === 'mark_tag');
  const prepared = new Map<string, PreparedMark>();
  if (marks.length === 0) return prepared;
  await read(db, async (tx) => {
    const { toRemote } = await idMaps(tx, corpId, 'tag');
    const relations = [...new Set(marks.map((i) => `${String(i.payload.userid)}|${String(i.payload.external_userid)}`))];
    const carried = await queryRows<{ userid: string; external_userid: string; tag_id: string }>(
      tx,
      sql`select m.userid, m.external_userid, m.tag_id from marks m
        join unnest(${sql.param(relations.map((r) => r.split('|')[0]!))}::text[], ${sql.param(relations.map((r) => r.split('|').slice(1).join('|')))}::text[]) as r(userid, external_userid)
          on m.userid = r.userid and m.external_userid = r.external_userid
        where m.corp_id = ${corpId}`,
    );
    const held = new Set(carried.map((r) => `${r.userid}|${r.external_userid}|${r.tag_id}`));
    for (const item of marks) {
      const key = `${String(item.payload.userid)}|${String(item.payload.external_userid)}`;
      // Only what still holds here is sent: a replayed or late row never undoes a newer local change
      // (an add whose mark is gone since, a remove of a mark put back since), so WeCom converges on
      // the local marks whatever the order of retries and replays.
      const stillAdded = strings(item.payload.add_tag).filter((t) => held.has(`${key}|${t}`));
      const stillRemoved = strings(item.payload.remove_tag).filter((t) => !held.has(`${key}|${t}`));
      const unmapped = stillAdded.filter((t) => !toRemote.has(t));
      const waiting = unmapped.length > 0 && (await libraryPendingBefore(tx, corpId, item.seq));
      prepared.set(item.itemId, { toRemote, unmapped, waiting, stillAdded, stillRemoved });
    }
  });
  return prepared;
}

/** Sends one prepared mark row (see `prepareMarks`) and says what became of it. */
export async function sendPreparedMark(client: WecomClient, item: ClaimedItem, prepared: PreparedMark): Promise<SendOutcome> {
  const p = item.payload;
  if (prepared.waiting) return { kind: 'wait', ms: waitForTagMs, reason: 'waiting for a tag to be created in WeCom' };
  if (prepared.unmapped.length > 0) return { kind: 'undeliverable', reason: `tag not in WeCom (push it or pull first): ${prepared.unmapped.join(', ')}` };
  // A tag WeCom never had cannot be taken off there: it is left out.
  const addTag = prepared.stillAdded.map((t) => prepared.toRemote.get(t)!);
  const removeTag = prepared.stillRemoved.filter((t) => prepared.toRemote.has(t)).map((t) => prepared.toRemote.get(t)!);
  if (addTag.length === 0 && removeTag.length === 0) return { kind: 'delivered', ids: [] };
  try {
    await client.call('externalcontact/mark_tag', { userid: p.userid, external_userid: p.external_userid, add_tag: addTag, remove_tag: removeTag });
  } catch (error) {
    if (error instanceof WecomError) return { kind: 'failed', errcode: error.errcode, errmsg: error.errmsg, retryable: error.retryable };
    throw error;
  }
  return { kind: 'delivered', ids: [] };
}

async function sendMark(db: Db, client: WecomClient, item: ClaimedItem): Promise<SendOutcome> {
  const prepared = (await prepareMarks(db, item.corpId, [item])).get(item.itemId)!;
  return sendPreparedMark(client, item, prepared);
}

type AddTag = { tagId: string; name: string; order?: number };
type RemoteGroup = { group_id?: unknown; group_name?: unknown; tag?: { id?: unknown; name?: unknown; deleted?: unknown }[] };

async function sendAdd(db: Db, client: WecomClient, item: ClaimedItem): Promise<SendOutcome> {
  const p = item.payload as { groupId: string; groupName: string; groupOrder?: number; tags: AddTag[] };
  const { groupRemote, tags } = await read(db, async (tx) => {
    const { toRemote } = await idMaps(tx, item.corpId, 'tag');
    // A repeat after a crash: the tags already linked were created then.
    return { groupRemote: await remoteIdOf(tx, item.corpId, 'tag_group', p.groupId), tags: p.tags.filter((t) => !toRemote.has(t.tagId)) };
  });
  if (tags.length === 0) return { kind: 'delivered', ids: [] };
  const tagBody = tags.map((t) => ({ name: t.name, ...(t.order === undefined ? {} : { order: t.order }) }));
  const byName = (remoteGroupId: string | null) => ({
    ...(remoteGroupId ? { group_id: remoteGroupId } : { group_name: p.groupName, ...(p.groupOrder === undefined ? {} : { order: p.groupOrder }) }),
    tag: tagBody,
  });
  let answer: WecomAnswer;
  const stale: IdChange[] = [];
  try {
    try {
      answer = await client.call('externalcontact/add_corp_tag', byName(groupRemote));
    } catch (error) {
      // WeCom deletes a group with its last tag: the mapped group is gone, so create it again by name.
      if (!(error instanceof WecomError) || error.errcode !== invalidId || !groupRemote) throw error;
      stale.push({ kind: 'tag_group', localId: p.groupId });
      answer = await client.call('externalcontact/add_corp_tag', byName(null));
    }
  } catch (error) {
    // A repeat of a call that reached WeCom (the process died before writing its outcome): the names
    // exist now, so read their ids back.
    if (!(error instanceof WecomError) || error.errcode !== nameExists) throw error;
    const list = await client.call('externalcontact/get_corp_tag_list', stale.length === 0 && groupRemote ? { group_id: [groupRemote] } : {});
    const groups = (Array.isArray(list.tag_group) ? list.tag_group : []) as RemoteGroup[];
    const group = groups.find((g) => (stale.length === 0 && groupRemote ? g.group_id === groupRemote : g.group_name === p.groupName));
    if (!group) return { kind: 'failed', errcode: nameExists, errmsg: error.errmsg, retryable: false };
    return { kind: 'delivered', ids: [...stale, ...linksOf(p.groupId, group, tags)] };
  }
  return { kind: 'delivered', ids: [...stale, ...linksOf(p.groupId, answer.tag_group as RemoteGroup, tags)] };
}

function linksOf(groupId: string, group: RemoteGroup | undefined, tags: AddTag[]): IdChange[] {
  const ids: IdChange[] = [];
  if (typeof group?.group_id === 'string') ids.push({ kind: 'tag_group', localId: groupId, remoteId: group.group_id });
  const remote = (group?.tag ?? []).filter((t) => t.deleted !== true);
  for (const tag of tags) {
    const match = remote.find((r) => r.name === tag.name);
    if (typeof match?.id === 'string') ids.push({ kind: 'tag', localId: tag.tagId, remoteId: match.id });
  }
  return ids;
}

async function sendEdit(db: Db, client: WecomClient, item: ClaimedItem): Promise<SendOutcome> {
  const p = item.payload as { tagId?: string; groupId?: string; name?: string; order?: number };
  const kind: MappedKind = p.tagId ? 'tag' : 'tag_group';
  const localId = (p.tagId ?? p.groupId)!;
  const remote = await read(db, (tx) => remoteIdOf(tx, item.corpId, kind, localId));
  if (!remote) return { kind: 'undeliverable', reason: `${kind === 'tag' ? 'tag' : 'tag group'} not in WeCom (push it or pull first): ${localId}` };
  await client.call('externalcontact/edit_corp_tag', {
    id: remote,
    ...(p.name === undefined ? {} : { name: p.name }),
    ...(p.order === undefined ? {} : { order: p.order }),
  });
  return { kind: 'delivered', ids: [] };
}

async function sendDelete(db: Db, client: WecomClient, item: ClaimedItem): Promise<SendOutcome> {
  const tagIds = strings(item.payload.tagIds);
  const groupIds = strings(item.payload.groupIds);
  const groupTagIds = strings(item.payload.groupTagIds);
  const { tagRemote, groupRemote } = await read(db, async (tx) => ({
    tagRemote: (await idMaps(tx, item.corpId, 'tag')).toRemote,
    groupRemote: (await idMaps(tx, item.corpId, 'tag_group')).toRemote,
  }));
  const body = {
    tag_id: tagIds.filter((t) => tagRemote.has(t)).map((t) => tagRemote.get(t)!),
    group_id: groupIds.filter((g) => groupRemote.has(g)).map((g) => groupRemote.get(g)!),
  };
  // Gone here, so the ids are forgotten: a restored tag is created again in WeCom under a new id.
  const ids: IdChange[] = [
    ...[...tagIds, ...groupTagIds].map((localId) => ({ kind: 'tag' as const, localId })),
    ...groupIds.map((localId) => ({ kind: 'tag_group' as const, localId })),
  ];
  if (body.tag_id.length === 0 && body.group_id.length === 0) return { kind: 'delivered', ids };
  try {
    await client.call('externalcontact/del_corp_tag', body);
  } catch (error) {
    if (!(error instanceof WecomError) || error.errcode !== invalidId) throw error; // already gone there
  }
  return { kind: 'delivered', ids };
}

/** Writes a delivery's mapping changes in the outcome's transaction. */
export async function applyIdChanges(tx: Tx, corpId: string, ids: IdChange[]): Promise<void> {
  for (const id of ids) {
    if (id.remoteId === undefined) await unlinkLocal(tx, corpId, id.kind, id.localId);
    else {
      await unlinkLocal(tx, corpId, id.kind, id.localId);
      await linkIds(tx, corpId, id.kind, id.localId, id.remoteId);
    }
  }
}
