import type { FakeCorp, FakeCustomer, FakeFollow, FakeTag, FakeTagGroup } from './store.test-support.js';

// The fake's endpoints (wecom-api.md §2, §4, §6.4): each takes the corp (already authenticated),
// the query and the parsed JSON body, and returns WeCom's answer. Business errors keep the
// endpoint's default empty fields, as WeCom does.

/** What a handler returns: the JSON answer (errcode/errmsg included). */
export type Answer = { errcode: number; errmsg: string; [field: string]: unknown };

/** A handler's inputs. */
export type EndpointInput = { corp: FakeCorp; query: URLSearchParams; body: Record<string, unknown>; now: number; markTagPerMinute: number };

/** One endpoint: its method, the fields it answers even on error, and the handler. */
export type Endpoint = { method: 'GET' | 'POST'; defaults: Record<string, unknown>; handle: (input: EndpointInput) => Answer };

const errmsgs: Record<number, string> = {
  40001: 'invalid credential',
  40003: 'invalid userid',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  40050: 'chatid not existed',
  40058: 'invalid Request Parameter',
  40068: 'invalid tagid',
  40071: 'UserTag Name Already Exist',
  40072: 'invalid tag name',
  40096: 'invalid external userid',
  41001: 'access_token missing',
  41002: 'corpid missing',
  41004: 'corpsecret missing',
  41017: 'tagid missing',
  41018: 'tag name missing',
  41035: 'external userid missing',
  42001: 'access_token expired',
  45009: 'api freq out of limit',
  45033: 'api concurrent out of limit',
  50100: 'invalid cursor',
  60020: 'not allow to access from your ip',
  84061: 'not external contact',
  [-1]: 'system busy',
};

/** An error answer in WeCom's style (English text, a hint, a link). */
export function failure(errcode: number, detail?: string): Answer {
  const text = detail ?? errmsgs[errcode] ?? 'error';
  return { errcode, errmsg: `${text}, hint: [fake], more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}` };
}

const ok = (fields: Record<string, unknown> = {}): Answer => ({ errcode: 0, errmsg: 'ok', ...fields });

function stringList(value: unknown): string[] | null {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return null;
  return value;
}

const byOrder = <T extends { order: number }>(items: T[]): T[] => [...items].sort((a, b) => b.order - a.order);

function tagJson(tag: FakeTag, withDeleted: boolean) {
  return { id: tag.id, name: tag.name, create_time: tag.create_time, order: tag.order, ...(withDeleted ? { deleted: tag.deleted } : {}) };
}

function groupJson(group: FakeTagGroup, tags: FakeTag[], withDeleted: boolean) {
  return {
    group_id: group.group_id,
    group_name: group.group_name,
    create_time: group.create_time,
    order: group.order,
    ...(group.strategy_id === undefined ? {} : { strategy_id: group.strategy_id }),
    ...(withDeleted ? { deleted: group.deleted } : {}),
    tag: byOrder(tags).map((tag) => tagJson(tag, withDeleted)),
  };
}

/** get_corp_tag_list / get_strategy_tag_list: all live groups, or by group_id (wins) or by tag_id, with `deleted`. */
function listTags(groups: FakeTagGroup[], body: Record<string, unknown>, strategies: boolean): Answer {
  const tagIds = stringList(body.tag_id);
  const groupIds = stringList(body.group_id);
  if (!tagIds || !groupIds) return failure(40058);
  // Only the rule-group list filters by strategy_id; the corp list ignores the field.
  const scoped = strategies && body.strategy_id !== undefined ? groups.filter((g) => g.strategy_id === body.strategy_id) : groups;
  if (groupIds.length > 0) {
    const found = byOrder(scoped.filter((g) => groupIds.includes(g.group_id)));
    return ok({ tag_group: found.map((g) => groupJson(g, g.tags, true)) });
  }
  if (tagIds.length > 0) {
    const found = byOrder(scoped.filter((g) => g.tags.some((t) => tagIds.includes(t.id))));
    return ok({
      tag_group: found.map((g) =>
        groupJson(
          g,
          g.tags.filter((t) => tagIds.includes(t.id)),
          true,
        ),
      ),
    });
  }
  const live = byOrder(scoped.filter((g) => !g.deleted));
  return ok({
    tag_group: live.map((g) =>
      groupJson(
        g,
        g.tags.filter((t) => !t.deleted),
        false,
      ),
    ),
  });
}

const maxName = 30;

function addCorpTag({ corp, body }: EndpointInput): Answer {
  const groupId = body.group_id;
  const groupName = body.group_name;
  if (groupId !== undefined && typeof groupId !== 'string') return failure(40058);
  if (groupName !== undefined && typeof groupName !== 'string') return failure(40058);
  if (!Array.isArray(body.tag) || body.tag.length === 0) return failure(40058, 'tag list empty');
  const names: { name: string; order?: number }[] = [];
  for (const item of body.tag as unknown[]) {
    const name = (item as { name?: unknown })?.name;
    if (typeof name !== 'string' || name === '') return failure(41018);
    if ([...name].length > maxName) return failure(40058, 'tag name too long');
    const order = (item as { order?: unknown }).order;
    if (!names.some((n) => n.name === name)) names.push({ name, ...(typeof order === 'number' ? { order } : {}) });
  }
  let group: FakeTagGroup | undefined;
  if (groupId) {
    group = corp.liveGroup(groupId);
    if (!group) return failure(40068);
  } else {
    if (!groupName) return failure(40058, 'group_name missing');
    if ([...groupName].length > maxName) return failure(40058, 'group name too long');
    group = corp.groups.find((g) => g.group_name === groupName && !g.deleted);
  }
  if (group && names.some((n) => group.tags.some((t) => !t.deleted && t.name === n.name))) return failure(40071);
  const order = typeof body.order === 'number' ? body.order : undefined;
  const { group: target, added } = corp.addTags({ groupId: group?.group_id, groupName: groupName as string | undefined, order }, names);
  return ok({ tag_group: groupJson(target, added, false) });
}

function editCorpTag({ corp, body }: EndpointInput): Answer {
  if (typeof body.id !== 'string' || body.id === '') return failure(41017);
  if (body.name !== undefined && typeof body.name !== 'string') return failure(40058);
  if (body.order !== undefined && typeof body.order !== 'number') return failure(40058);
  const name = body.name as string | undefined;
  if (name === '') return failure(40072);
  if (name !== undefined && [...name].length > maxName) return failure(40058, 'name too long');
  const group = corp.liveGroup(body.id);
  const tag = group ? undefined : corp.liveTag(body.id);
  if (!group && (!tag || corp.groupOf(tag).strategy_id !== undefined)) return failure(40068);
  if (group) {
    if (name !== undefined && corp.groups.some((g) => g !== group && !g.deleted && g.group_name === name)) return failure(40071);
    if (name !== undefined) group.group_name = name;
    if (body.order !== undefined) group.order = body.order as number;
  } else if (tag) {
    const siblings = corp.groupOf(tag).tags;
    if (name !== undefined && siblings.some((t) => t !== tag && !t.deleted && t.name === name)) return failure(40071);
    if (name !== undefined) tag.name = name;
    if (body.order !== undefined) tag.order = body.order as number;
  }
  return ok();
}

function delCorpTag({ corp, body }: EndpointInput): Answer {
  const tagIds = stringList(body.tag_id);
  const groupIds = stringList(body.group_id);
  if (!tagIds || !groupIds) return failure(40058);
  if (tagIds.length === 0 && groupIds.length === 0) return failure(41017);
  const corpTag = (id: string) => {
    const tag = corp.liveTag(id);
    return tag && corp.groupOf(tag).strategy_id === undefined ? tag : undefined;
  };
  if (tagIds.some((id) => !corpTag(id)) || groupIds.some((id) => !corp.liveGroup(id))) return failure(40068);
  for (const id of groupIds) {
    const group = corp.liveGroup(id);
    if (group) corp.deleteGroup(group);
  }
  corp.deleteTags(tagIds);
  return ok();
}

function markTag({ corp, body, now, markTagPerMinute }: EndpointInput): Answer {
  corp.markTimes = corp.markTimes.filter((t) => t > now - 60_000);
  if (corp.markTimes.length >= markTagPerMinute) return failure(45009);
  corp.markTimes.push(now);
  const add = stringList(body.add_tag);
  const remove = stringList(body.remove_tag);
  if (!add || !remove) return failure(40058);
  if (typeof body.userid !== 'string' || body.userid === '') return failure(40003);
  if (typeof body.external_userid !== 'string' || body.external_userid === '') return failure(41035);
  if (add.length === 0 && remove.length === 0) return failure(40058, 'add_tag and remove_tag both empty');
  if (!corp.followUsers.includes(body.userid)) return failure(40003);
  if (!corp.customers.has(body.external_userid)) return failure(40096);
  const follow = corp.follow(body.userid, body.external_userid);
  if (!follow) return failure(84061);
  if ([...add, ...remove].some((id) => !corp.liveTag(id))) return failure(40068);
  for (const id of add) follow.tagIds.add(id);
  for (const id of remove) follow.tagIds.delete(id);
  return ok();
}

function contactJson(customer: FakeCustomer) {
  return {
    external_userid: customer.external_userid,
    name: customer.name,
    type: customer.type,
    gender: customer.gender,
    avatar: customer.avatar,
    ...(customer.unionid ? { unionid: customer.unionid } : {}),
    ...(customer.corp_name ? { corp_name: customer.corp_name } : {}),
  };
}

function followBase(follow: FakeFollow) {
  return {
    userid: follow.userid,
    remark: follow.remark,
    description: follow.description,
    createtime: follow.createtime,
    remark_corp_name: '',
    remark_mobiles: [],
    oper_userid: follow.oper_userid,
    add_way: follow.add_way,
    ...(follow.state === undefined ? {} : { state: follow.state }),
  };
}

/** `follow_user[].tags` as `get` shows them: corp tags type 1, rule-group tags type 3, personal tags type 2 (name only). */
function followTags(corp: FakeCorp, follow: FakeFollow) {
  const tags: Record<string, unknown>[] = [];
  for (const id of follow.tagIds) {
    const tag = corp.liveTag(id);
    if (!tag) continue;
    const group = corp.groupOf(tag);
    tags.push({ group_name: group.group_name, tag_name: tag.name, tag_id: tag.id, type: group.strategy_id === undefined ? 1 : 3 });
  }
  for (const name of follow.personalTags) tags.push({ tag_name: name, type: 2 });
  return tags;
}

function encodeCursor(offset: number): string {
  return Buffer.from(`fake:${offset}`).toString('base64url');
}

function decodeCursor(cursor: unknown): number | null {
  if (cursor === undefined || cursor === null || cursor === '') return 0;
  if (typeof cursor !== 'string') return null;
  const match = /^fake:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  return match ? Number(match[1]) : null;
}

function getCustomer({ corp, query }: EndpointInput, pageSize: number): Answer {
  const id = query.get('external_userid');
  if (!id) return failure(41035);
  const customer = corp.customers.get(id);
  if (!customer) return failure(40096);
  const offset = decodeCursor(query.get('cursor'));
  if (offset === null) return failure(50100);
  const page = customer.follows.slice(offset, offset + pageSize);
  const more = offset + pageSize < customer.follows.length;
  return ok({
    external_contact: contactJson(customer),
    follow_user: page.map((f) => ({ ...followBase(f), tags: followTags(corp, f) })),
    next_cursor: more ? encodeCursor(offset + pageSize) : '',
  });
}

function listCustomers({ corp, query }: EndpointInput): Answer {
  const userid = query.get('userid');
  if (!userid || !corp.followUsers.includes(userid)) return failure(40003);
  const ids = [...corp.customers.values()].filter((c) => c.follows.some((f) => f.userid === userid)).map((c) => c.external_userid);
  return ok({ external_userid: ids });
}

function batchGetByUser({ corp, body }: EndpointInput): Answer {
  const userids = typeof body.userid === 'string' && body.userid_list === undefined ? [body.userid] : stringList(body.userid_list);
  if (!userids || userids.length === 0 || userids.length > 100) return failure(40058, 'userid_list must hold 1 to 100 userids');
  if (body.limit !== undefined && (typeof body.limit !== 'number' || !Number.isInteger(body.limit) || body.limit < 1)) return failure(40058);
  const limit = Math.min((body.limit as number | undefined) ?? 50, 100);
  const offset = decodeCursor(body.cursor);
  if (offset === null) return failure(50100);
  const pairs: { customer: FakeCustomer; follow: FakeFollow }[] = [];
  for (const userid of userids) {
    for (const customer of corp.customers.values()) {
      const follow = customer.follows.find((f) => f.userid === userid);
      if (follow) pairs.push({ customer, follow });
    }
  }
  const page = pairs.slice(offset, offset + limit);
  return ok({
    external_contact_list: page.map(({ customer, follow }) => ({
      external_contact: contactJson(customer),
      follow_info: { ...followBase(follow), tag_id: [...follow.tagIds].filter((id) => corp.liveTag(id)) },
    })),
    next_cursor: offset + limit < pairs.length ? encodeCursor(offset + limit) : '',
  });
}

function groupChatList({ corp, body }: EndpointInput): Answer {
  const limit = body.limit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 1000) return failure(40058, 'limit must be 1 to 1000');
  const status = body.status_filter ?? 0;
  const owners = stringList((body.owner_filter as { userid_list?: unknown } | undefined)?.userid_list);
  if (!owners) return failure(40058);
  const offset = decodeCursor(body.cursor);
  if (offset === null) return failure(50100);
  const chats = corp.groupChats.filter((c) => (status === 0 || c.status === status) && (owners.length === 0 || owners.includes(c.owner)));
  return ok({
    group_chat_list: chats.slice(offset, offset + limit).map((c) => ({ chat_id: c.chat_id, status: c.status })),
    next_cursor: offset + limit < chats.length ? encodeCursor(offset + limit) : '',
  });
}

function groupChatGet({ corp, body }: EndpointInput): Answer {
  if (typeof body.chat_id !== 'string' || body.chat_id === '') return failure(40058, 'chat_id missing');
  const chat = corp.groupChats.find((c) => c.chat_id === body.chat_id);
  if (!chat) return failure(40050);
  const { status: _status, ...shown } = chat;
  return ok({ group_chat: { ...shown, member_version: 'fake' } });
}

/** customer_strategy/get: one rule group's name, parent and admins. */
function strategyGet({ corp, body }: EndpointInput): Answer {
  const strategy = corp.strategies.get(body.strategy_id as number);
  if (!strategy) return failure(40058, 'invalid strategy_id');
  const { range: _range, ...shown } = strategy;
  return ok({ strategy: { ...shown, create_time: 1_700_000_000, privilege: { view_customer_list: true, manage_customer_tag: true } } });
}

/** customer_strategy/get_range: a rule group's members and departments, paged by cursor. */
function strategyGetRange({ corp, body }: EndpointInput): Answer {
  const strategy = corp.strategies.get(body.strategy_id as number);
  if (!strategy) return failure(40058, 'invalid strategy_id');
  const limit = body.limit ?? 1000;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 1000) return failure(40058, 'limit must be 1 to 1000');
  const offset = decodeCursor(body.cursor);
  if (offset === null) return failure(50100);
  return ok({ range: strategy.range.slice(offset, offset + limit), next_cursor: offset + limit < strategy.range.length ? encodeCursor(offset + limit) : '' });
}

/** The endpoints by path below `/cgi-bin/` (gettoken is handled by the server: it needs no token). */
export function endpoints(options: { getFollowPageSize: number; tickets: { jsapi: string; agentConfig: string } }): Record<string, Endpoint> {
  return {
    'externalcontact/get_corp_tag_list': { method: 'POST', defaults: { tag_group: [] }, handle: (i) => listTags(i.corp.groups, i.body, false) },
    'externalcontact/get_strategy_tag_list': { method: 'POST', defaults: { tag_group: [] }, handle: (i) => listTags(i.corp.strategyGroups, i.body, true) },
    'externalcontact/customer_strategy/get': { method: 'POST', defaults: { strategy: {} }, handle: strategyGet },
    'externalcontact/customer_strategy/get_range': { method: 'POST', defaults: { range: [], next_cursor: '' }, handle: strategyGetRange },
    'externalcontact/add_corp_tag': { method: 'POST', defaults: { tag_group: {} }, handle: addCorpTag },
    'externalcontact/edit_corp_tag': { method: 'POST', defaults: {}, handle: editCorpTag },
    'externalcontact/del_corp_tag': { method: 'POST', defaults: {}, handle: delCorpTag },
    'externalcontact/mark_tag': { method: 'POST', defaults: {}, handle: markTag },
    'externalcontact/get_follow_user_list': { method: 'GET', defaults: { follow_user: [] }, handle: (i) => ok({ follow_user: [...i.corp.followUsers] }) },
    'externalcontact/list': { method: 'GET', defaults: { external_userid: [] }, handle: listCustomers },
    'externalcontact/get': {
      method: 'GET',
      defaults: { external_contact: {}, follow_user: [], next_cursor: '' },
      handle: (i) => getCustomer(i, options.getFollowPageSize),
    },
    'externalcontact/batch/get_by_user': { method: 'POST', defaults: { external_contact_list: [], next_cursor: '' }, handle: batchGetByUser },
    'externalcontact/groupchat/list': { method: 'POST', defaults: { group_chat_list: [], next_cursor: '' }, handle: groupChatList },
    'externalcontact/groupchat/get': { method: 'POST', defaults: { group_chat: {} }, handle: groupChatGet },
    'ticket/get': {
      method: 'GET',
      defaults: { ticket: '', expires_in: 0 },
      handle: (i) => (i.query.get('type') === 'agent_config' ? ok({ ticket: options.tickets.agentConfig, expires_in: 7200 }) : failure(40058, 'invalid type')),
    },
    get_jsapi_ticket: { method: 'GET', defaults: { ticket: '', expires_in: 0 }, handle: () => ok({ ticket: options.tickets.jsapi, expires_in: 7200 }) },
  };
}
