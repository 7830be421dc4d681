import type { CustomerRow, FollowRow, FollowTag } from '../modules/customers/customers.queries.js';
import type { TagGroupRow, TagRow } from '../modules/tags/tags.repo.js';

/** A WeCom success reply: errcode 0, errmsg "ok", then the endpoint's result fields. */
export function wecomOk<T extends Record<string, unknown>>(fields?: T): { errcode: 0; errmsg: 'ok' } & T {
  return { errcode: 0, errmsg: 'ok', ...(fields as T) };
}

/** WeCom timestamps are unix seconds. */
export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function presentTag(tag: TagRow, withDeleted: boolean) {
  const out: Record<string, unknown> = { id: tag.tagId, name: tag.name, create_time: unixSeconds(tag.createdAt), order: tag.order };
  if (withDeleted) out.deleted = tag.deletedAt !== null;
  return out;
}

/**
 * One entry of get_corp_tag_list's `tag_group`. `withDeleted` adds the `deleted` flags, which WeCom
 * sends only when the caller asked by id (so a caller can tell that an id it holds was deleted).
 */
export function presentTagGroup(group: TagGroupRow, tags: TagRow[], withDeleted: boolean) {
  const out: Record<string, unknown> = { group_id: group.groupId, group_name: group.name, create_time: unixSeconds(group.createdAt), order: group.order };
  if (withDeleted) out.deleted = group.deletedAt !== null;
  out.tag = tags.map((tag) => presentTag(tag, withDeleted));
  return out;
}

/** add_corp_tag's `tag_group`: one object (not an array) holding the tags this request created, without `deleted` flags. */
export function presentAddedTagGroup(group: TagGroupRow, created: TagRow[]) {
  return presentTagGroup(group, created, false);
}

/**
 * `external_contact` of get and batch/get_by_user. Company names are sent only for WeCom-user
 * customers (type 2), as WeCom does; WeChat users have none.
 */
export function presentExternalContact(customer: CustomerRow) {
  const out: Record<string, unknown> = {
    external_userid: customer.externalUserid,
    name: customer.name,
    type: customer.type,
    gender: customer.gender,
    avatar: customer.avatar,
  };
  if (customer.type === 2) Object.assign(out, { corp_name: customer.corpName, corp_full_name: customer.corpFullName });
  return out;
}

function followFields(follow: FollowRow) {
  const out: Record<string, unknown> = {
    userid: follow.userid,
    remark: follow.remark,
    description: follow.description,
    createtime: unixSeconds(follow.addTime),
  };
  return out;
}

function followTail(follow: FollowRow) {
  // WeCom leaves out remark_corp_name and state when they were never set.
  const out: Record<string, unknown> = {};
  if (follow.remarkCorpName) out.remark_corp_name = follow.remarkCorpName;
  out.remark_mobiles = follow.remarkMobiles;
  out.oper_userid = follow.operUserid;
  out.add_way = follow.addWay;
  if (follow.state) out.state = follow.state;
  return out;
}

/**
 * One tag of `follow_user[].tags`: type 1 corp, 3 rule-group (both with `tag_id`), 2 personal,
 * which WeCom shows by name only, without `tag_id`.
 */
export function presentFollowTag(tag: FollowTag) {
  const out: Record<string, unknown> = { group_name: tag.groupName, tag_name: tag.tagName };
  if (tag.type !== 2) out.tag_id = tag.tagId;
  out.type = tag.type;
  return out;
}

/** One entry of get's `follow_user`, with the relation's tags. */
export function presentFollowUser(follow: FollowRow & { tags: FollowTag[] }) {
  return { ...followFields(follow), tags: follow.tags.map(presentFollowTag), ...followTail(follow) };
}

/**
 * batch/get_by_user's `follow_info`: like `follow_user` but with `tag_id: string[]` and only corp
 * and rule-group tags (the caller passes tags read with personal tags hidden).
 */
export function presentFollowInfo(follow: FollowRow, tags: FollowTag[]) {
  return { ...followFields(follow), tag_id: tags.filter((t) => t.type !== 2).map((t) => t.tagId), ...followTail(follow) };
}
