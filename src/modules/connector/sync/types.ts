import type { Ctx } from '../../../context.js';
import type { Db } from '../../../db/client.js';

/** One tag of a `tag_group` in WeCom's get_corp_tag_list answer. */
export type RemoteTag = { id: string; name: string; order?: number; create_time?: number; deleted?: boolean };

/** One `tag_group` of get_corp_tag_list's answer (get_strategy_tag_list adds `strategy_id`). */
export type RemoteTagGroup = {
  group_id: string;
  group_name: string;
  order?: number;
  create_time?: number;
  deleted?: boolean;
  strategy_id?: number;
  tag?: RemoteTag[];
};

/** A rule group as customer_strategy/get and get_range answer it (range read whole, cursor by cursor). */
export type RemoteStrategy = {
  strategy_id: number;
  parent_id?: number;
  strategy_name?: string;
  admin_list?: string[];
  range?: { type?: number; userid?: string; partyid?: number }[];
};

/** A tag on a follow as WeCom reports it: enterprise (type 1, by id) or personal (type 2, by name). */
export type RemoteFollowTag = { group_name?: string; tag_name?: string; tag_id?: string; type?: number };

/**
 * A follow relation as WeCom reports it: `follow_user[]` of externalcontact/get (tags as objects)
 * or `follow_info` of batch/get_by_user (enterprise tag ids in `tag_id`).
 */
export type RemoteFollow = {
  userid: string;
  remark?: string;
  description?: string;
  createtime?: number;
  tags?: RemoteFollowTag[];
  tag_id?: string[];
  remark_corp_name?: string;
  remark_mobiles?: string[];
  oper_userid?: string;
  add_way?: number;
  state?: string;
};

/** WeCom's `external_contact` object (the fields Tagloom keeps). */
export type RemoteExternalContact = {
  external_userid: string;
  name?: string;
  type?: number;
  gender?: number;
  avatar?: string;
  corp_name?: string;
  corp_full_name?: string;
};

/**
 * A customer as externalcontact/get answers (`follow_user[]`), or one item of batch/get_by_user
 * (`follow_info`, one relation only). Both are accepted; see `normaliseCustomer`.
 */
export type RemoteCustomer = { external_contact: RemoteExternalContact; follow_user?: RemoteFollow[]; follow_info?: RemoteFollow };

/**
 * What a sync command did. `keptLocal` counts items skipped because a local change to them is
 * still waiting to be pushed (the conflict rule, docs/connector.md); `problems` are items that could
 * not be applied (a name WeCom allows and Tagloom refuses, an unknown tag id), each one line.
 */
export type SyncCounts = {
  created: number;
  updated: number;
  deleted: number;
  marked: number;
  unmarked: number;
  skipped: number;
  keptLocal: number;
  problems: string[];
};

/** Counts that start at zero. */
export function emptyCounts(): SyncCounts {
  return { created: 0, updated: 0, deleted: 0, marked: 0, unmarked: 0, skipped: 0, keptLocal: 0, problems: [] };
}

/** Adds `more` into `into` (problems are capped so a bad pull cannot grow an operation row without bound). */
export function addCounts(into: SyncCounts, more: SyncCounts): SyncCounts {
  into.created += more.created;
  into.updated += more.updated;
  into.deleted += more.deleted;
  into.marked += more.marked;
  into.unmarked += more.unmarked;
  into.skipped += more.skipped;
  into.keptLocal += more.keptLocal;
  for (const p of more.problems) if (into.problems.length < 100) into.problems.push(p);
  return into;
}

/**
 * The context changes read from WeCom are applied under: source `wecom-sync` (the push ignores
 * those events, so nothing echoes back) and the system actor `wecom`. Open a transaction on it
 * (`withTx`) before calling a sync command.
 */
export function wecomSyncContext(db: Db, corpId: string): Ctx {
  return { corpId, actor: { kind: 'system', name: 'wecom' }, source: 'wecom-sync', db };
}
