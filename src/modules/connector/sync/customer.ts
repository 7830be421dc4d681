import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { customers, follows, marks, tagGroups, tags } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { nameInitials } from '../../../names/name-initials.js';
import { addCustomers } from '../../customers/commands/add-customers.js';
import { addFollows } from '../../customers/commands/add-follows.js';
import { markTags } from '../../customers/commands/mark-tags.js';
import { remarkFollow } from '../../customers/commands/remark-follow.js';
import { idMaps } from '../id-map.js';
import { attempt } from './attempt.js';
import { ensureEmployees } from './employees.js';
import { pendingMarkTagIds } from './pending-local.js';
import { syncPersonalMarks } from './personal-marks.js';
import { removeRemoteFollow } from './remove-follow.js';
import { emptyCounts, type RemoteCustomer, type RemoteFollow, type SyncCounts } from './types.js';

/** A follow as the sync reads it, whichever WeCom answer it came from. */
export type NormalFollow = {
  userid: string;
  remark: string;
  description: string;
  remarkCorpName: string;
  remarkMobiles: string[];
  addTime?: Date;
  addWay: number;
  state: string;
  operUserid: string;
  /** WeCom ids of the enterprise and rule-group (type 3) tags on the relation. */
  corpTagIds: string[];
  /** Names of the follower's personal tags on it; null when the answer does not list them (batch/get_by_user). */
  personalTags: { name: string; groupName: string }[] | null;
};

/** The customer's follows from either answer shape; `complete` when they are all of its follows (externalcontact/get). */
export function normaliseFollows(remote: RemoteCustomer): { follows: NormalFollow[]; allFollows: boolean } {
  const list = Array.isArray(remote.follow_user) ? remote.follow_user : remote.follow_info ? [remote.follow_info] : [];
  return { follows: list.filter((f) => typeof f?.userid === 'string' && f.userid !== '').map(normaliseFollow), allFollows: Array.isArray(remote.follow_user) };
}

function normaliseFollow(f: RemoteFollow): NormalFollow {
  const objects = Array.isArray(f.tags) ? f.tags : null;
  const corpTagIds = objects
    ? objects.filter((t) => ((t.type ?? 1) === 1 || t.type === 3) && typeof t.tag_id === 'string').map((t) => t.tag_id!)
    : Array.isArray(f.tag_id)
      ? f.tag_id.filter((id): id is string => typeof id === 'string')
      : [];
  return {
    userid: f.userid,
    remark: f.remark ?? '',
    description: f.description ?? '',
    remarkCorpName: f.remark_corp_name ?? '',
    remarkMobiles: Array.isArray(f.remark_mobiles) ? f.remark_mobiles.filter((m): m is string => typeof m === 'string') : [],
    addTime: typeof f.createtime === 'number' && f.createtime > 0 ? new Date(f.createtime * 1000) : undefined,
    addWay: typeof f.add_way === 'number' ? f.add_way : 0,
    state: f.state ?? '',
    operUserid: f.oper_userid ?? f.userid,
    corpTagIds: [...new Set(corpTagIds)],
    personalTags: objects
      ? objects
          .filter((t) => t.type === 2 && typeof t.tag_name === 'string' && t.tag_name !== '')
          .map((t) => ({ name: t.tag_name!, groupName: t.group_name ?? '' }))
      : null,
  };
}

/**
 * Brings one customer in line with WeCom: creates or updates it, its follows (remark, add time,
 * add way, state) and each follow's enterprise-tag marks (WeCom ids mapped to local ones; an id
 * not known here is reported in `problems`, never a crash: re-read the library) and personal tags
 * (by name, owned by the follower; created when missing). With `complete`, marks WeCom no longer
 * has are removed, and so are follows when the answer lists all of them (externalcontact/get).
 * Marks with a local change waiting to be pushed keep their local state (`keptLocal`).
 * `tagIds` may pass the tag id map (remote → local) read once for many customers.
 */
export async function applyRemoteCustomer(ctx: TxCtx, remote: RemoteCustomer, opts: { complete: boolean; tagIds?: Map<string, string> }): Promise<SyncCounts> {
  const counts = emptyCounts();
  const contact = remote?.external_contact;
  const externalUserid = contact?.external_userid;
  if (typeof externalUserid !== 'string' || externalUserid === '') {
    counts.skipped += 1;
    counts.problems.push('a customer without external_userid');
    return counts;
  }
  const { follows: remoteFollows, allFollows } = normaliseFollows(remote);
  const known = await ensureEmployees(
    ctx,
    counts,
    remoteFollows.map((f) => f.userid),
  );
  const wanted = remoteFollows.filter((f) => known.has(f.userid));

  const [existing] = await ctx.tx
    .select()
    .from(customers)
    .where(and(eq(customers.corpId, ctx.corpId), eq(customers.externalUserid, externalUserid)));
  if (!existing) {
    await addCustomers(ctx, [
      {
        externalUserid,
        name: contact.name ?? '',
        type: contact.type,
        gender: contact.gender,
        corpName: contact.corp_name,
        follows: wanted.map((f) => ({ userid: f.userid, remark: f.remark, addTime: f.addTime, addWay: f.addWay, state: f.state, operUserid: f.operUserid })),
      },
    ]);
    counts.created += 1 + wanted.length;
  }
  if (await updateCustomer(ctx, externalUserid, remote)) counts.updated += 1;

  const localFollows = await ctx.tx
    .select()
    .from(follows)
    .where(and(eq(follows.corpId, ctx.corpId), eq(follows.externalUserid, externalUserid)));
  const missing = wanted.filter((f) => !localFollows.some((l) => l.userid === f.userid));
  if (existing && missing.length > 0) {
    counts.created += await addFollows(
      ctx,
      missing.map((f) => ({
        externalUserid,
        userid: f.userid,
        addTime: f.addTime,
        state: f.state,
        remark: f.remark,
        addWay: f.addWay,
        operUserid: f.operUserid,
      })),
    );
  }
  for (const f of wanted) {
    const local = localFollows.find((l) => l.userid === f.userid);
    if (local && remarkDiffers(local, f)) {
      const done = await attempt(ctx, counts, `remark of ${f.userid}`, (c) =>
        remarkFollow(c, {
          userid: f.userid,
          externalUserid,
          remark: f.remark,
          description: f.description,
          remarkCompany: f.remarkCorpName,
          remarkMobiles: f.remarkMobiles,
        }),
      );
      if (done) counts.updated += 1;
    }
  }

  const tagIds = opts.tagIds ?? (await idMaps(ctx.tx, ctx.corpId, 'tag')).toLocal;
  for (const f of wanted) {
    await syncCorpMarks(ctx, counts, externalUserid, f, tagIds, opts.complete);
    if (f.personalTags) await syncPersonalMarks(ctx, counts, externalUserid, f.userid, f.personalTags, opts.complete);
  }
  if (opts.complete && allFollows) {
    for (const local of localFollows) {
      if (remoteFollows.some((f) => f.userid === local.userid)) continue;
      if (await removeRemoteFollow(ctx, local.userid, externalUserid)) counts.deleted += 1;
    }
  }
  return counts;
}

function remarkDiffers(local: typeof follows.$inferSelect, remote: NormalFollow): boolean {
  return (
    local.remark !== remote.remark ||
    local.description !== remote.description ||
    local.remarkCorpName !== remote.remarkCorpName ||
    local.remarkMobiles.join('\n') !== remote.remarkMobiles.join('\n')
  );
}

/** Sets the customer's own fields from WeCom's `external_contact`; true when something changed (one `customer.updated`). */
async function updateCustomer(ctx: TxCtx, externalUserid: string, remote: RemoteCustomer): Promise<boolean> {
  const c = remote.external_contact;
  const [row] = await ctx.tx
    .select()
    .from(customers)
    .where(and(eq(customers.corpId, ctx.corpId), eq(customers.externalUserid, externalUserid)));
  if (!row) return false;
  const next = {
    name: c.name ?? row.name,
    type: typeof c.type === 'number' ? c.type : row.type,
    gender: typeof c.gender === 'number' ? c.gender : row.gender,
    avatar: c.avatar ?? row.avatar,
    corpName: c.corp_name ?? row.corpName,
    corpFullName: c.corp_full_name ?? row.corpFullName,
  };
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== row[k]);
  if (changed.length === 0) return false;
  await ctx.tx
    .update(customers)
    .set({ ...next, nameInitials: next.name === row.name ? row.nameInitials : nameInitials(next.name) })
    .where(and(eq(customers.corpId, ctx.corpId), eq(customers.externalUserid, externalUserid)));
  // Which fields changed, not their values: events keep no personal data.
  await recordEvent(ctx, { type: 'customer.updated', subjectType: 'customer', subjectId: externalUserid, payload: { externalUserid, fields: changed } });
  return true;
}

/** The enterprise-tag marks of one follow, made equal to WeCom's (mapped ids), pending local changes kept. */
async function syncCorpMarks(
  ctx: TxCtx,
  counts: SyncCounts,
  externalUserid: string,
  f: NormalFollow,
  tagIds: Map<string, string>,
  complete: boolean,
): Promise<void> {
  const wantedLocal = new Set<string>();
  for (const remoteId of f.corpTagIds) {
    const localId = tagIds.get(remoteId);
    if (localId) wantedLocal.add(localId);
    else {
      counts.skipped += 1;
      if (counts.problems.length < 100) counts.problems.push(`tag ${remoteId} on ${f.userid}'s customer is not known here (the tag library is stale)`);
    }
  }
  const current = await ctx.tx
    .select({ tagId: marks.tagId })
    .from(marks)
    .innerJoin(tags, and(eq(tags.corpId, marks.corpId), eq(tags.tagId, marks.tagId)))
    .where(and(eq(marks.corpId, ctx.corpId), eq(marks.externalUserid, externalUserid), eq(marks.userid, f.userid), eq(marks.personal, 0)));
  const have = new Set(current.map((m) => m.tagId));
  const mapped = new Set(tagIds.values());
  const pending = await pendingMarkTagIds(ctx, f.userid, externalUserid);
  let add = [...wantedLocal].filter((id) => !have.has(id));
  // Only marks of tags WeCom knows can be missing there; a local-only tag's marks wait for the push.
  let remove = complete ? [...have].filter((id) => !wantedLocal.has(id) && mapped.has(id)) : [];
  const kept = [...add, ...remove].filter((id) => pending.has(id));
  counts.keptLocal += kept.length;
  add = add.filter((id) => !pending.has(id));
  remove = remove.filter((id) => !pending.has(id));
  if (add.length > 0) {
    // A mapped tag deleted here (its deletion not yet pushed, or a smart tag) cannot be marked.
    const live = await ctx.tx
      .select({ tagId: tags.tagId })
      .from(tags)
      .innerJoin(tagGroups, and(eq(tagGroups.corpId, tags.corpId), eq(tagGroups.groupId, tags.groupId)))
      .where(and(eq(tags.corpId, ctx.corpId), inArray(tags.tagId, add), isNull(tags.deletedAt)));
    const liveIds = new Set(live.map((t) => t.tagId));
    for (const id of add.filter((a) => !liveIds.has(a))) {
      counts.skipped += 1;
      if (counts.problems.length < 100) counts.problems.push(`tag ${id} is deleted here; not marked on ${f.userid}'s customer`);
    }
    add = add.filter((id) => liveIds.has(id));
  }
  if (add.length === 0 && remove.length === 0) return;
  const done = await attempt(ctx, counts, `marks of ${f.userid}'s customer`, (c) => markTags(c, { userid: f.userid, externalUserid, add, remove }));
  if (done) {
    counts.marked += done.added.length;
    counts.unmarked += done.removed.length;
  }
}
