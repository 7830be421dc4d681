import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decrypt, getSignature } from '@wecom/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callbackRequest, FakeWecom, newEncodingAesKey, verifyRequest } from './fake-wecom.test-support.js';

// The fake WeCom server itself: other tests rely on it answering as wecom-api.md says WeCom does.

const corpid = 'wwfake0001';
const secret = 'contact-secret-1';

let wecom: FakeWecom;

async function call(path: string, opts: { token?: string | null; body?: unknown; raw?: string; query?: Record<string, string> } = {}) {
  const url = new URL(`/cgi-bin/${path}`, wecom.url);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  if (opts.token !== null) url.searchParams.set('access_token', opts.token ?? (await token()));
  const hasBody = opts.body !== undefined || opts.raw !== undefined;
  const res = await fetch(url, {
    method: hasBody ? 'POST' : 'GET',
    headers: hasBody ? { 'content-type': 'application/json' } : {},
    body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as any) : undefined;
  return { status: res.status, text, json };
}

async function token(id = corpid, s = secret): Promise<string> {
  const res = await fetch(`${wecom.url}/cgi-bin/gettoken?corpid=${id}&corpsecret=${s}`);
  const answer = (await res.json()) as any;
  return answer.access_token;
}

beforeEach(async () => {
  wecom = await FakeWecom.start({ markTagPerMinute: 3 });
  wecom.addCorp(corpid, secret);
  wecom.seed(corpid, {
    tagGroups: [
      {
        group_id: 'etGroupLevel',
        group_name: '等级',
        order: 1,
        tags: [
          { id: 'etGold', name: '金卡' },
          { id: 'etSilver', name: '银卡' },
        ],
      },
      { group_id: 'etGroupSource', group_name: '来源', order: 5, tags: [{ id: 'etAd', name: '广告' }] },
    ],
    customers: [
      { external_userid: 'wmAlice', name: 'Alice', follow: [{ userid: 'zhangsan', tags: ['etGold'], personalTags: ['老朋友'] }, { userid: 'lisi' }] },
      { external_userid: 'wmBob', name: 'Bob', follow: [{ userid: 'zhangsan', tags: ['广告'] }] },
    ],
  });
});

afterEach(async () => {
  await wecom.close();
});

describe('fake WeCom: wire conventions', () => {
  it('checks the token first: missing 41001, unknown 40014, expired 42001, with the default fields', async () => {
    expect((await call('externalcontact/get_follow_user_list', { token: null })).json).toMatchObject({ errcode: 41001, follow_user: [] });
    expect((await call('externalcontact/get_corp_tag_list', { token: 'nope', raw: '{bad' })).json).toMatchObject({ errcode: 40014, tag_group: [] });
    const old = await token();
    wecom.expireTokens();
    expect((await call('externalcontact/list', { token: old, query: { userid: 'zhangsan' } })).json).toMatchObject({ errcode: 42001, external_userid: [] });
    const fresh = await token();
    expect(fresh).not.toBe(old);
    expect((await call('externalcontact/list', { token: fresh, query: { userid: 'zhangsan' } })).json).toMatchObject({ errcode: 0 });
  });

  it('answers 404 with an empty body for unknown paths, 40058 for bad JSON, and records calls without the token', async () => {
    const unknown = await call('externalcontact/nope');
    expect(unknown).toMatchObject({ status: 404, text: '' });
    expect((await call('externalcontact/get_corp_tag_list', { raw: '{not json' })).json.errcode).toBe(40058);
    const t = await token();
    await call('externalcontact/get_corp_tag_list', { token: t, body: {} });
    const recorded = wecom.callsTo('externalcontact/get_corp_tag_list').at(-1);
    expect(recorded).toMatchObject({ errcode: 0, corpid, query: { access_token: '[redacted]' } });
    expect(JSON.stringify(wecom.calls)).not.toContain(t);
    expect(JSON.stringify(wecom.calls)).not.toContain(secret);
  });

  it('gettoken refuses a wrong secret (40001), an unknown corp (40013) and a missing secret (41004), and reuses a valid token', async () => {
    const answer = async (q: string) => (await (await fetch(`${wecom.url}/cgi-bin/gettoken?${q}`)).json()) as any;
    expect((await answer(`corpid=${corpid}&corpsecret=wrong`)).errcode).toBe(40001);
    expect((await answer('corpid=wwnobody&corpsecret=x')).errcode).toBe(40013);
    expect((await answer('')).errcode).toBe(41004);
    expect(await token()).toBe(await token());
    expect(wecom.issuedTokens).toBe(1);
    wecom.rotateSecret(corpid, 'new-secret');
    expect((await answer(`corpid=${corpid}&corpsecret=${secret}`)).errcode).toBe(40001);
    expect(await token(corpid, 'new-secret')).toBeTruthy();
  });

  it('injects errcodes, HTTP statuses and dropped connections on the next calls to a path', async () => {
    wecom.failNext('externalcontact/get_corp_tag_list', 45033, 2);
    wecom.failNext('/cgi-bin/externalcontact/get_corp_tag_list', { httpStatus: 500 });
    wecom.failNext('externalcontact/get_corp_tag_list', { drop: true });
    expect((await call('externalcontact/get_corp_tag_list', { body: {} })).json).toMatchObject({ errcode: 45033, tag_group: [] });
    expect((await call('externalcontact/get_corp_tag_list', { body: {} })).json.errcode).toBe(45033);
    expect((await call('externalcontact/get_corp_tag_list', { body: {} })).status).toBe(500);
    await expect(call('externalcontact/get_corp_tag_list', { body: {} })).rejects.toThrow();
    expect((await call('externalcontact/get_corp_tag_list', { body: {} })).json.errcode).toBe(0);
  });
});

describe('fake WeCom: tags', () => {
  it('lists live groups by order (larger first), and deleted items with `deleted` only when asked by id', async () => {
    const all = (await call('externalcontact/get_corp_tag_list', { body: {} })).json;
    expect(all.tag_group.map((g: any) => g.group_name)).toEqual(['来源', '等级']);
    expect(all.tag_group[0]).not.toHaveProperty('deleted');
    expect((await call('externalcontact/del_corp_tag', { body: { tag_id: ['etAd'] } })).json.errcode).toBe(0);
    expect(wecom.tags(corpid).map((g) => g.group_id)).toEqual(['etGroupLevel']);
    const byId = (await call('externalcontact/get_corp_tag_list', { body: { tag_id: ['etAd'] } })).json;
    expect(byId.tag_group).toEqual([
      expect.objectContaining({ group_id: 'etGroupSource', deleted: true, tag: [expect.objectContaining({ id: 'etAd', deleted: true })] }),
    ]);
  });

  it('add_corp_tag merges into a group of the same name, refuses a clash (40071) and an empty tag list', async () => {
    const added = (await call('externalcontact/add_corp_tag', { body: { group_name: '等级', tag: [{ name: '铜卡' }, { name: '铜卡' }] } })).json;
    expect(added.tag_group).toMatchObject({ group_id: 'etGroupLevel', tag: [{ name: '铜卡' }] });
    expect(added.tag_group.tag[0].id).toMatch(/^et/);
    expect((await call('externalcontact/add_corp_tag', { body: { group_id: 'etGroupLevel', tag: [{ name: '金卡' }] } })).json.errcode).toBe(40071);
    expect((await call('externalcontact/add_corp_tag', { body: { group_name: 'Empty', tag: [] } })).json.errcode).toBe(40058);
    expect((await call('externalcontact/add_corp_tag', { body: { group_name: 'x'.repeat(31), tag: [{ name: 'a' }] } })).json.errcode).toBe(40058);
    expect(
      wecom
        .tags(corpid)
        .find((g) => g.group_id === 'etGroupLevel')
        ?.tags.map((t) => t.name),
    ).toEqual(['金卡', '银卡', '铜卡']);
  });

  it('mark_tag changes one relation, answers 84061 without a relation and 45009 beyond the per-minute limit', async () => {
    expect((await call('externalcontact/mark_tag', { body: { userid: 'lisi', external_userid: 'wmAlice', add_tag: ['etSilver'] } })).json.errcode).toBe(0);
    expect(wecom.marks(corpid, 'lisi', 'wmAlice')).toEqual(['etSilver']);
    expect(wecom.marks(corpid, 'zhangsan', 'wmAlice')).toEqual(['etGold']);
    expect((await call('externalcontact/mark_tag', { body: { userid: 'lisi', external_userid: 'wmBob', add_tag: ['etSilver'] } })).json.errcode).toBe(84061);
    expect((await call('externalcontact/mark_tag', { body: { userid: 'lisi', external_userid: 'wmAlice', remove_tag: ['etSilver'] } })).json.errcode).toBe(0);
    expect((await call('externalcontact/mark_tag', { body: { userid: 'lisi', external_userid: 'wmAlice', add_tag: ['etSilver'] } })).json.errcode).toBe(45009);
    expect(wecom.marks(corpid, 'lisi', 'wmAlice')).toEqual([]);
  });

  it('edit_corp_tag renames a tag or a group, refusing clashes (40071) and unknown ids (40068)', async () => {
    expect((await call('externalcontact/edit_corp_tag', { body: { id: 'etGold', name: '黑卡', order: 9 } })).json.errcode).toBe(0);
    expect((await call('externalcontact/edit_corp_tag', { body: { id: 'etGroupLevel', name: '会员等级' } })).json.errcode).toBe(0);
    expect((await call('externalcontact/edit_corp_tag', { body: { id: 'etSilver', name: '黑卡' } })).json.errcode).toBe(40071);
    expect((await call('externalcontact/edit_corp_tag', { body: { id: 'etGroupLevel', name: '来源' } })).json.errcode).toBe(40071);
    expect((await call('externalcontact/edit_corp_tag', { body: { id: 'etNope', name: 'x' } })).json.errcode).toBe(40068);
    expect((await call('externalcontact/edit_corp_tag', { body: { name: 'x' } })).json.errcode).toBe(41017);
    const level = wecom.tags(corpid).find((g) => g.group_id === 'etGroupLevel');
    expect(level?.group_name).toBe('会员等级');
    expect(level?.tags.map((t) => [t.name, t.order])).toEqual([
      ['黑卡', 9],
      ['银卡', 0],
    ]);
  });

  it('del_corp_tag on a group deletes its tags and unmarks customers; unknown ids change nothing (40068)', async () => {
    expect((await call('externalcontact/del_corp_tag', { body: {} })).json.errcode).toBe(41017);
    expect((await call('externalcontact/del_corp_tag', { body: { tag_id: ['etSilver', 'etNope'] } })).json.errcode).toBe(40068);
    expect(wecom.tags(corpid).flatMap((g) => g.tags.map((t) => t.id))).toContain('etSilver');
    expect((await call('externalcontact/del_corp_tag', { body: { group_id: ['etGroupLevel'] } })).json.errcode).toBe(0);
    expect(wecom.marks(corpid, 'zhangsan', 'wmAlice')).toEqual([]);
    const byGroup = (await call('externalcontact/get_corp_tag_list', { body: { group_id: ['etGroupLevel'], tag_id: ['etAd'] } })).json;
    expect(byGroup.tag_group).toHaveLength(1);
    expect(byGroup.tag_group[0]).toMatchObject({ group_id: 'etGroupLevel', deleted: true });
    expect(byGroup.tag_group[0].tag.every((t: any) => t.deleted)).toBe(true);
  });

  it('mark_tag refuses unknown tags (40068), unknown members (40003), unknown customers (40096) and empty changes, changing nothing', async () => {
    const mark = async (body: unknown) => (await call('externalcontact/mark_tag', { body })).json.errcode;
    expect(await mark({ userid: 'zhangsan', external_userid: 'wmAlice', add_tag: ['etSilver', 'etNope'] })).toBe(40068);
    expect(await mark({ userid: 'nobody', external_userid: 'wmAlice', add_tag: ['etSilver'] })).toBe(40003);
    expect(await mark({ userid: 'zhangsan', external_userid: 'wmNobody', add_tag: ['etSilver'] })).toBe(40096);
    wecom.failNext('externalcontact/mark_tag', 60020);
    expect(await mark({ userid: 'zhangsan', external_userid: 'wmAlice', add_tag: ['etSilver'] })).toBe(60020);
    expect(wecom.marks(corpid, 'zhangsan', 'wmAlice')).toEqual(['etGold']);
  });

  it('answers 40058 when a POST endpoint is called with GET, and an empty strategy tag list unless seeded', async () => {
    expect((await call('externalcontact/get_corp_tag_list')).json).toMatchObject({ errcode: 40058, tag_group: [] });
    expect((await call('externalcontact/get_strategy_tag_list', { body: {} })).json).toMatchObject({ errcode: 0, tag_group: [] });
    wecom.seed(corpid, { strategyTagGroups: [{ strategy_id: 7, group_name: '规则组标签', tags: [{ id: 'stRule', name: 'VIP' }] }] });
    const listed = (await call('externalcontact/get_strategy_tag_list', { body: { strategy_id: 7 } })).json;
    expect(listed.tag_group).toEqual([expect.objectContaining({ strategy_id: 7, tag: [expect.objectContaining({ id: 'stRule' })] })]);
    expect((await call('externalcontact/mark_tag', { body: { userid: 'lisi', external_userid: 'wmAlice', add_tag: ['stRule'] } })).json.errcode).toBe(0);
    const got = (await call('externalcontact/get', { query: { external_userid: 'wmAlice' } })).json;
    expect(got.follow_user[1].tags).toEqual([{ group_name: '规则组标签', tag_name: 'VIP', tag_id: 'stRule', type: 3 }]);
  });
});

describe('fake WeCom: customers', () => {
  it('get shows corp tags with ids and personal tags by name only; batch/get_by_user pages with tag_id lists', async () => {
    const got = (await call('externalcontact/get', { query: { external_userid: 'wmAlice' } })).json;
    expect(got.follow_user[0].tags).toEqual([
      { group_name: '等级', tag_name: '金卡', tag_id: 'etGold', type: 1 },
      { tag_name: '老朋友', type: 2 },
    ]);
    const first = (await call('externalcontact/batch/get_by_user', { body: { userid_list: ['zhangsan'], limit: 1 } })).json;
    expect(first.external_contact_list).toEqual([
      expect.objectContaining({ follow_info: expect.objectContaining({ userid: 'zhangsan', tag_id: ['etGold'] }) }),
    ]);
    expect(first.next_cursor).not.toBe('');
    const second = (await call('externalcontact/batch/get_by_user', { body: { userid_list: ['zhangsan'], limit: 1, cursor: first.next_cursor } })).json;
    expect(second.external_contact_list[0].external_contact.external_userid).toBe('wmBob');
    expect(second.next_cursor).toBe('');
    expect((await call('externalcontact/batch/get_by_user', { body: { userid_list: Array.from({ length: 101 }, (_, i) => `u${i}`) } })).json.errcode).toBe(
      40058,
    );
  });
});

describe('fake WeCom: customers, chats and tickets', () => {
  it('lists a member’s customers and pages `get` follow users with a cursor', async () => {
    expect((await call('externalcontact/list', { query: { userid: 'zhangsan' } })).json.external_userid).toEqual(['wmAlice', 'wmBob']);
    expect((await call('externalcontact/list', { query: { userid: 'nobody' } })).json).toMatchObject({ errcode: 40003, external_userid: [] });
    expect((await call('externalcontact/get_follow_user_list')).json.follow_user).toEqual(['zhangsan', 'lisi']);
    await wecom.close();
    wecom = await FakeWecom.start({ getFollowPageSize: 1 });
    wecom.addCorp(corpid, secret);
    wecom.seed(corpid, { customers: [{ external_userid: 'wmCarol', name: 'Carol', follow: [{ userid: 'a' }, { userid: 'b' }] }] });
    const first = (await call('externalcontact/get', { query: { external_userid: 'wmCarol' } })).json;
    expect(first.follow_user.map((f: any) => f.userid)).toEqual(['a']);
    const second = (await call('externalcontact/get', { query: { external_userid: 'wmCarol', cursor: first.next_cursor } })).json;
    expect(second.follow_user.map((f: any) => f.userid)).toEqual(['b']);
    expect(second.next_cursor).toBe('');
    expect((await call('externalcontact/get', { query: { external_userid: 'wmCarol', cursor: 'garbage' } })).json.errcode).toBe(50100);
    expect((await call('externalcontact/get', { query: {} })).json).toMatchObject({ errcode: 41035, follow_user: [] });
  });

  it('serves group chats and the JS-SDK tickets', async () => {
    wecom.seed(corpid, {
      groupChats: [
        { chat_id: 'wrChat1', owner: 'zhangsan', name: '客户群', member_list: [{ userid: 'wmAlice', type: 2, join_time: 1_700_000_000, join_scene: 3 }] },
        { chat_id: 'wrChat2', owner: 'lisi', status: 1 },
      ],
    });
    const list = (await call('externalcontact/groupchat/list', { body: { owner_filter: { userid_list: ['zhangsan'] }, limit: 10 } })).json;
    expect(list.group_chat_list).toEqual([{ chat_id: 'wrChat1', status: 0 }]);
    expect((await call('externalcontact/groupchat/list', { body: {} })).json.errcode).toBe(40058);
    const chat = (await call('externalcontact/groupchat/get', { body: { chat_id: 'wrChat1', need_name: 1 } })).json;
    expect(chat.group_chat).toMatchObject({ chat_id: 'wrChat1', owner: 'zhangsan', member_list: [{ userid: 'wmAlice', join_time: 1_700_000_000 }] });
    expect((await call('externalcontact/groupchat/get', { body: { chat_id: 'wrNope' } })).json.errcode).toBe(40050);
    expect((await call('get_jsapi_ticket')).json).toMatchObject({ errcode: 0, ticket: wecom.tickets.jsapi });
    expect((await call('ticket/get', { query: { type: 'agent_config' } })).json).toMatchObject({ errcode: 0, ticket: wecom.tickets.agentConfig });
  });
});

describe('fake WeCom: staff working in the app', () => {
  it('staffAddTag creates the group when needed and reports WeCom’s change_external_tag fields', async () => {
    const made = wecom.staffAddTag(corpid, '兴趣', '跑步');
    expect(made.callback).toMatchObject({ ToUserName: corpid, Event: 'change_external_tag', ChangeType: 'create', TagType: 'tag', Id: made.tagId });
    expect(made.groupCallback).toMatchObject({ ChangeType: 'create', TagType: 'tag_group', Id: made.groupId });
    expect(wecom.staffAddTag(corpid, '兴趣', '游泳').groupCallback).toBeUndefined();
    const listed = (await call('externalcontact/get_corp_tag_list', { body: { group_id: [made.groupId] } })).json;
    expect(listed.tag_group[0].tag.map((t: any) => t.name).sort()).toEqual(['游泳', '跑步']);
    expect(wecom.staffRenameTag(corpid, made.tagId, '长跑')).toMatchObject({ ChangeType: 'update', TagType: 'tag', Id: made.tagId });
  });

  it('deleting the last tag of a group reports one tag_group delete; deleting a group reports only the group', () => {
    expect(wecom.staffDeleteTag(corpid, 'etGold')).toMatchObject({ ChangeType: 'delete', TagType: 'tag', Id: 'etGold' });
    expect(wecom.staffDeleteTag(corpid, 'etSilver')).toMatchObject({ ChangeType: 'delete', TagType: 'tag_group', Id: 'etGroupLevel' });
    expect(wecom.staffDeleteGroup(corpid, 'etGroupSource')).toMatchObject({ ChangeType: 'delete', TagType: 'tag_group', Id: 'etGroupSource' });
    expect(wecom.tags(corpid)).toEqual([]);
    expect(wecom.marks(corpid, 'zhangsan', 'wmBob')).toEqual([]);
  });

  it('staffReorder reports a shuffle and changes the order the list answers', async () => {
    expect(wecom.staffReorder(corpid, 'etGroupLevel', { etSilver: 10 })).toMatchObject({
      Event: 'change_external_tag',
      ChangeType: 'shuffle',
      Id: 'etGroupLevel',
    });
    expect(wecom.staffReorder(corpid, '', { etGroupLevel: 10 })).toMatchObject({ ChangeType: 'shuffle', Id: '' });
    const listed = (await call('externalcontact/get_corp_tag_list', { body: {} })).json;
    expect(listed.tag_group.map((g: any) => g.group_id)).toEqual(['etGroupLevel', 'etGroupSource']);
    expect(listed.tag_group[0].tag.map((t: any) => t.id)).toEqual(['etSilver', 'etGold']);
    expect(() => wecom.staffReorder(corpid, 'etGroupLevel', { etAd: 1 })).toThrow();
  });

  it('group chat staff actions report change_external_chat and change what groupchat/get answers', async () => {
    const { chatId, callback } = wecom.staffCreateChat(corpid, 'zhangsan', '客户群');
    expect(callback).toMatchObject({ Event: 'change_external_chat', ChatId: chatId, ChangeType: 'create' });
    expect(wecom.staffJoinChat(corpid, chatId, { userid: 'wmAlice', joinScene: 2, joinTime: 1_700_000_123 })).toMatchObject({
      ChangeType: 'update',
      UpdateDetail: 'add_member',
      JoinScene: 2,
    });
    const chat = (await call('externalcontact/groupchat/get', { body: { chat_id: chatId } })).json.group_chat;
    expect(chat.member_list).toContainEqual(expect.objectContaining({ userid: 'wmAlice', type: 2, join_time: 1_700_000_123, join_scene: 2 }));
    expect(wecom.staffLeaveChat(corpid, chatId, 'wmAlice')).toMatchObject({ UpdateDetail: 'del_member', QuitScene: 0 });
    expect(wecom.staffDismissChat(corpid, chatId)).toMatchObject({ ChangeType: 'dismiss' });
    expect((await call('externalcontact/groupchat/get', { body: { chat_id: chatId } })).json.errcode).toBe(40050);
  });

  it('staffAddCustomer and staffDeleteFollow change the relations the API sees', async () => {
    const added = wecom.staffAddCustomer(corpid, 'lisi', { name: 'Dan', state: 'expo', tags: ['etAd'] });
    expect(added.externalUserid).toMatch(/^wm/);
    expect(added.callback).toMatchObject({ ChangeType: 'add_external_contact', UserID: 'lisi', ExternalUserID: added.externalUserid, State: 'expo' });
    expect((await call('externalcontact/list', { query: { userid: 'lisi' } })).json.external_userid).toContain(added.externalUserid);
    expect(wecom.marks(corpid, 'lisi', added.externalUserid)).toEqual(['etAd']);
    expect(wecom.staffDeleteFollow(corpid, 'lisi', 'wmAlice')).toMatchObject({ ChangeType: 'del_follow_user', UserID: 'lisi', ExternalUserID: 'wmAlice' });
    expect(wecom.staffDeleteCustomer(corpid, 'zhangsan', 'wmBob')).toMatchObject({ ChangeType: 'del_external_contact' });
    expect((await call('externalcontact/mark_tag', { body: { userid: 'lisi', external_userid: 'wmAlice', add_tag: ['etAd'] } })).json.errcode).toBe(84061);
    expect(() => wecom.staffMark(corpid, 'lisi', 'wmAlice', ['etAd'], [])).toThrow();
  });
});

describe('fake WeCom: callbacks', () => {
  let receiver: Server;
  let receiverUrl: string;
  const received: { url: string; body: string }[] = [];
  const cfg = { corpid, token: 'cb-token', encodingAesKey: newEncodingAesKey() };

  beforeEach(async () => {
    received.length = 0;
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ url: req.url ?? '', body });
        res.end('');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callback`;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('encrypts and signs as @wecom/crypto expects (a cross-check that the encryption is WeCom’s)', () => {
    const fields = wecom.staffMark(corpid, 'zhangsan', 'wmBob', ['etSilver'], []);
    const request = callbackRequest(fields, cfg);
    const encrypted = /<Encrypt><!\[CDATA\[(.*)\]\]><\/Encrypt>/.exec(request.body)?.[1] as string;
    expect(getSignature(cfg.token, request.query.timestamp, request.query.nonce, encrypted)).toBe(request.query.msg_signature);
    const { message, id } = decrypt(cfg.encodingAesKey, encrypted);
    expect(id).toBe(corpid);
    expect(message).toContain('<ChangeType><![CDATA[edit_external_contact]]></ChangeType>');
    expect(message).toContain('<ExternalUserID><![CDATA[wmBob]]></ExternalUserID>');
    expect(wecom.marks(corpid, 'zhangsan', 'wmBob').sort()).toEqual(['etAd', 'etSilver']);
    const verify = verifyRequest(cfg);
    expect(decrypt(cfg.encodingAesKey, verify.query.echostr).message).toBe(verify.echostr);
  });

  it('postCallback delivers the envelope with msg_signature, timestamp and nonce; `twice` sends it again', async () => {
    const { callback } = wecom.staffAddTag(corpid, '来源', '展会');
    const answer = await wecom.postCallback(receiverUrl, callback, { ...cfg, timestamp: 1_700_000_000, nonce: 'n1', twice: true });
    expect(answer).toMatchObject({ status: 200, second: { status: 200 } });
    expect(received).toHaveLength(2);
    expect(received[0]).toEqual(received[1]);
    const url = new URL(received[0]?.url ?? '', 'http://x');
    expect(url.searchParams.get('timestamp')).toBe('1700000000');
    expect(url.searchParams.get('nonce')).toBe('n1');
    const bad = callbackRequest(callback, { ...cfg, badSignature: true });
    const good = /<Encrypt><!\[CDATA\[(.*)\]\]><\/Encrypt>/.exec(bad.body)?.[1] as string;
    expect(getSignature(cfg.token, bad.query.timestamp, bad.query.nonce, good)).not.toBe(bad.query.msg_signature);
  });

  it('verifyUrl sends the echostr handshake a receiver can decrypt with @wecom/crypto', async () => {
    const echoing = createServer((req, res) => {
      const query = new URL(req.url ?? '', 'http://x').searchParams;
      const echostr = query.get('echostr') ?? '';
      const signed = getSignature(cfg.token, query.get('timestamp') ?? '', query.get('nonce') ?? '', echostr) === query.get('msg_signature');
      res.writeHead(signed ? 200 : 401).end(signed ? decrypt(cfg.encodingAesKey, echostr).message : '');
    });
    await new Promise<void>((resolve) => echoing.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(echoing.address() as AddressInfo).port}/callback`;
    try {
      const answer = await wecom.verifyUrl(url, cfg);
      expect(answer).toMatchObject({ status: 200, body: answer.echostr });
      expect((await wecom.verifyUrl(url, { ...cfg, badSignature: true })).status).toBe(401);
    } finally {
      await new Promise<void>((resolve) => echoing.close(() => resolve()));
    }
  });
});
