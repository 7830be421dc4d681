import type { Db } from '../../../db/client.js';
import { type Bitmap, bitmapOf } from './bitmaps.js';
import { addTo, type CorpIndex, chatLabel, facetNames, mapOf, targetLabel } from './corp-index.js';
import { facetsChanged } from './derived-cache.js';
import { type CustomerRefresh, loadCustomers, loadDepartments, loadPairs, loadTags } from './load.js';
import { TimeColumn } from './time-column.js';

/** The columns of an events row the index reads. */
export type IndexEvent = { seq: number; type: string; subjectId: string; payload: unknown; before: unknown; after: unknown; operationId: string | null };

/**
 * What a batch of events asks to re-read. Every handler re-reads the affected part from the
 * database instead of replaying the payload, which makes applying idempotent and independent of
 * order: the tail reads in (txid, seq) order, which is not commit order.
 *
 * | event                                   | effect on the index                                                        |
 * | --------------------------------------- | -------------------------------------------------------------------------- |
 * | follow.tags_changed {added, removed}    | re-read each (customer, tag) pair: set iff ANY relation still carries the   |
 * |                                         | tag, so a tag removed from one relation stays while another carries it      |
 * | follow.tags_changed {bulk: true}        | add the marks that carry the event's operation_id (bulk only adds)          |
 * | follow.tags_changed {pairs}             | re-read each (customer, tag) pair listed (a rule run's changes)             |
 * | smart_tag.synced                        | reload the tag from marks (a rule added and removed many marks at once)     |
 * | operation.applied {tagIds}              | reload those tags (a batch, import, undo or redo changed many marks)        |
 * | tag.deleted, tag.restored               | reload the tag from marks (deletion archived them all: the bitmap goes;      |
 * |                                         | reloading rather than dropping keeps a restore that committed meanwhile)    |
 * | personal_tag.deleted                    | reload the personal tag (its marks are gone: the bitmap goes)               |
 * | customer.created {externalUserids}      | refresh those customers: universe, own and custom attributes, follow        |
 * |                                         | facets, created and add times, behaviour events                             |
 * | customer_event.recorded                 | refresh those customers: their behaviour events (customer_events rows) are  |
 * |   {externalUserids}                     | re-read with the rest, so a retried or reordered event counts once          |
 * | customer.transferred {externalUserid}   | refresh the customer's follow facets; tags stay (marks move within it)      |
 * | follow.created (subject userid|ext)     | refresh the customer                                                        |
 * | follow.deleted {externalUserid, tagIds} | refresh the customer's follow facets and re-read each (customer, tag) pair  |
 * |                                         | the relation carried (another relation may still carry the tag)             |
 * | customer.updated {externalUserid}       | refresh the customer (its own attributes changed in WeCom)                  |
 * | group_chat.member_joined / member_left  | refresh the customer (payload externalUserid; an employee member is not     |
 * |   {externalUserid}                      | indexed): its chat memberships and join times are re-read with the rest     |
 * | employee.updated, departments changed   | refresh the customers the employee follows (department facet)               |
 * | department.created/updated/deleted      | reload the department tree; regions are derived from it at query time       |
 * | tag_group.*, strategy.deleted           | nothing: each affected tag has its own tag.deleted / tag.restored event     |
 * | anything else                           | nothing: renames, remarks, settings, roles, apps, logins are not indexed    |
 */
export type IndexPlan = {
  pairs: Map<string, { externalUserid: string; tagId: string }>;
  operationIds: Set<string>;
  tagIds: Set<string>;
  customers: Set<string>;
  followersOf: Set<string>;
  departments: boolean;
};

type Payload = Record<string, unknown> | null;
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const departmentsOf = (snapshot: unknown): string => JSON.stringify([...((snapshot as { departmentIds?: number[] } | null)?.departmentIds ?? [])].sort());

/** Turns events into the reads they need (pure; batching a poll's events into one plan). */
export function planEvents(events: IndexEvent[]): IndexPlan {
  const plan: IndexPlan = { pairs: new Map(), operationIds: new Set(), tagIds: new Set(), customers: new Set(), followersOf: new Set(), departments: false };
  for (const event of events) {
    const payload = event.payload as Payload;
    switch (event.type) {
      case 'follow.tags_changed':
        if (Array.isArray(payload?.pairs)) {
          // A rule run: the (customer, tag) pairs it may have changed, re-read like single changes.
          for (const pair of payload.pairs as { externalUserid?: unknown; tagId?: unknown }[]) {
            if (typeof pair?.externalUserid === 'string' && typeof pair.tagId === 'string')
              plan.pairs.set(`${pair.externalUserid}|${pair.tagId}`, { externalUserid: pair.externalUserid, tagId: pair.tagId });
          }
        } else if (payload?.bulk === true) {
          if (event.operationId) plan.operationIds.add(event.operationId);
        } else if (typeof payload?.externalUserid === 'string') {
          for (const tagId of [...strings(payload.added), ...strings(payload.removed)]) {
            plan.pairs.set(`${payload.externalUserid}|${tagId}`, { externalUserid: payload.externalUserid, tagId });
          }
        }
        break;
      case 'tag.deleted':
      case 'tag.restored':
      case 'personal_tag.deleted':
      case 'smart_tag.synced':
        plan.tagIds.add(event.subjectId);
        break;
      case 'operation.applied':
        for (const tagId of strings(payload?.tagIds)) plan.tagIds.add(tagId);
        break;
      case 'customer.created':
      case 'customer_event.recorded':
        for (const id of strings(payload?.externalUserids)) plan.customers.add(id);
        break;
      case 'customer.transferred':
        plan.customers.add(typeof payload?.externalUserid === 'string' ? payload.externalUserid : event.subjectId);
        break;
      case 'follow.created':
        plan.customers.add(event.subjectId.split('|')[1] ?? event.subjectId);
        break;
      case 'follow.deleted': {
        const externalUserid = typeof payload?.externalUserid === 'string' ? payload.externalUserid : (event.subjectId.split('|')[1] ?? event.subjectId);
        plan.customers.add(externalUserid);
        for (const tagId of strings(payload?.tagIds)) plan.pairs.set(`${externalUserid}|${tagId}`, { externalUserid, tagId });
        break;
      }
      case 'customer.updated':
        plan.customers.add(typeof payload?.externalUserid === 'string' ? payload.externalUserid : event.subjectId);
        break;
      case 'group_chat.member_joined':
      case 'group_chat.member_left':
        if (typeof payload?.externalUserid === 'string') plan.customers.add(payload.externalUserid);
        break;
      case 'employee.updated':
        if (departmentsOf(event.before) !== departmentsOf(event.after)) plan.followersOf.add(event.subjectId);
        break;
      case 'department.created':
      case 'department.updated':
      case 'department.deleted':
        plan.departments = true;
        break;
      default:
        break;
    }
  }
  return plan;
}

/**
 * Brings the index up to date with a batch of events (rows of the events table, any order):
 * plans the reads, then runs them in a few batched queries.
 */
export async function applyEvents(db: Db, index: CorpIndex, events: IndexEvent[]): Promise<void> {
  if (events.length === 0) return;
  const plan = planEvents(events);
  // Bitmaps derived from facets (regions) are recomputed after any change to customers, follows or
  // departments, even a failed half of one; a batch of marks alone keeps them.
  try {
    await applyPlan(db, index, plan);
  } finally {
    if (plan.departments || plan.customers.size > 0 || plan.followersOf.size > 0) facetsChanged(index);
  }
}

// Runs the plan's reads and changes the index: departments, customers, followers' customers, tags, marks.
async function applyPlan(db: Db, index: CorpIndex, plan: IndexPlan): Promise<void> {
  if (plan.departments) index.departments = await loadDepartments(db, index.corpId);
  if (plan.customers.size > 0) await refreshCustomers(db, index, { externalUserids: [...plan.customers] });
  const followerSeqs = new Set<number>();
  for (const userid of plan.followersOf) for (const seq of index.facets.follower.get(userid) ?? []) followerSeqs.add(seq);
  if (followerSeqs.size > 0) await refreshCustomers(db, index, { seqs: [...followerSeqs] });
  if (plan.tagIds.size > 0) await reloadTags(db, index, [...plan.tagIds]);
  if (plan.operationIds.size > 0) {
    for (const g of await loadTags(db, index.corpId, { operationIds: [...plan.operationIds] }))
      addTo(g.personal ? index.personalTags : index.tags, g.tagId, g.seqs);
  }
  if (plan.pairs.size > 0) await recheckPairs(db, index, [...plan.pairs.values()]);
}

/** Replaces the bitmaps of the given tags with what marks say now (absent = no customer carries it). */
async function reloadTags(db: Db, index: CorpIndex, tagIds: string[]): Promise<void> {
  for (const tagId of tagIds) {
    index.tags.delete(tagId);
    index.personalTags.delete(tagId);
  }
  for (const g of await loadTags(db, index.corpId, { tagIds })) addTo(g.personal ? index.personalTags : index.tags, g.tagId, g.seqs);
}

/** Sets or clears each (customer, tag) bit from the marks as they are now. */
async function recheckPairs(db: Db, index: CorpIndex, pairs: { externalUserid: string; tagId: string }[]): Promise<void> {
  for (let i = 0; i < pairs.length; i += 5000) {
    for (const { tagId, seq, personal } of await loadPairs(db, index.corpId, pairs.slice(i, i + 5000))) {
      if (personal === null) {
        for (const map of [index.tags, index.personalTags]) {
          const b = map.get(tagId);
          b?.remove(seq);
          if (b?.isEmpty) map.delete(tagId);
        }
      } else {
        addTo(personal ? index.personalTags : index.tags, tagId, [seq]);
      }
    }
  }
}

/** Re-reads customers' attributes, follow relations, events and chats, replacing whatever the index held for them. */
async function refreshCustomers(db: Db, index: CorpIndex, by: { seqs: number[] } | { externalUserids: string[] }): Promise<void> {
  const all = 'seqs' in by ? by.seqs : by.externalUserids;
  for (let i = 0; i < all.length; i += 10_000) {
    if ('seqs' in by) {
      const seqs = by.seqs.slice(i, i + 10_000);
      replaceCustomers(index, seqs, await loadCustomers(db, index.corpId, { seqs }));
    } else {
      const rows = await loadCustomers(db, index.corpId, { externalUserids: by.externalUserids.slice(i, i + 10_000) });
      replaceCustomers(
        index,
        rows.customers.map((c) => c.seq),
        rows,
      );
    }
  }
}

// Drops seqs from every bitmap of a value map, and the values left with nobody.
function dropFrom(map: Map<string, Bitmap>, gone: Bitmap): void {
  for (const [value, b] of map) {
    b.andNotInPlace(gone);
    if (b.isEmpty) map.delete(value);
  }
}

/**
 * Drops `seqs` from every facet, attribute value, time and event column, then adds them back
 * from the rows read. Dropping visits every value bitmap (nothing maps a customer to its old
 * values); an event column is touched only for customers that have, or now get, entries in it.
 */
function replaceCustomers(index: CorpIndex, seqs: number[], rows: CustomerRefresh): void {
  const gone = bitmapOf(seqs);
  for (const facet of facetNames) dropFrom(index.facets[facet], gone);
  for (const [name, values] of index.attributes) {
    dropFrom(values, gone);
    if (values.size === 0) index.attributes.delete(name);
  }
  for (const seq of seqs) {
    index.createdAt.set(seq, null);
    index.addTime.set(seq, null);
  }
  const add = (facet: (typeof facetNames)[number], value: string, seq: number) => {
    if (value !== '' || facet === 'state') addTo(index.facets[facet], value, [seq]);
  };
  for (const c of rows.customers) {
    index.universe.add(c.seq);
    add('gender', c.gender, c.seq);
    add('province', c.province, c.seq);
    add('city', c.city, c.seq);
    add('ownRegion', c.ownRegion, c.seq);
    add('company', c.company, c.seq);
    index.createdAt.set(c.seq, c.createdMs);
  }
  for (const a of rows.attributes) addTo(mapOf(index.attributes, a.name), a.value, [a.seq]);
  const addTimes = new Map<number, number[]>();
  for (const f of rows.follows) {
    add('follower', f.userid, f.seq);
    add('addWay', f.addWay, f.seq);
    add('state', f.state, f.seq);
    for (const dept of f.departmentIds) add('department', String(dept), f.seq);
    addTimes.set(f.seq, [...(addTimes.get(f.seq) ?? []), f.addMs]);
  }
  for (const [seq, times] of addTimes) index.addTime.set(seq, times);
  replaceEvents(index, seqs, rows);
  replaceChats(index, seqs, rows);
}

// Each customer's memberships are exactly the rows read: a leave drops the entry, a re-join moves it.
function replaceChats(index: CorpIndex, seqs: number[], rows: CustomerRefresh): void {
  const fresh = new Map<number, { times: number[]; labels: number[] }>();
  for (const m of rows.chats) {
    const entry = fresh.get(m.seq) ?? { times: [], labels: [] };
    entry.times.push(m.ms);
    entry.labels.push(chatLabel(index, m.chatId));
    fresh.set(m.seq, entry);
  }
  for (const seq of seqs) {
    const entry = fresh.get(seq);
    if (entry) index.chats.set(seq, entry.times, entry.labels);
    else if (index.chats.has(seq)) index.chats.set(seq, null);
  }
}

// Each (type, customer) gets exactly the events read; a type seen for the first time gets a column.
function replaceEvents(index: CorpIndex, seqs: number[], rows: CustomerRefresh): void {
  const fresh = new Map<string, Map<number, { times: number[]; labels: number[] }>>();
  for (const e of rows.events) {
    const byType = mapOf(fresh, e.type);
    const entry = byType.get(e.seq) ?? { times: [], labels: [] };
    entry.times.push(e.ms);
    entry.labels.push(targetLabel(index, e.target));
    byType.set(e.seq, entry);
  }
  for (const type of fresh.keys()) if (!index.events.has(type)) index.events.set(type, TimeColumn.fromRuns([]));
  for (const [type, column] of index.events) {
    const byType = fresh.get(type);
    for (const seq of seqs) {
      const entry = byType?.get(seq);
      if (entry) column.set(seq, entry.times, entry.labels);
      else if (column.has(seq)) column.set(seq, null);
    }
  }
}
