import { expect, it } from 'vitest';
import { withTx } from '../../context.js';
import { recordChatJoin } from '../../modules/group-chats/commands/record-chat-join.js';
import { saveGroupChat } from '../../modules/group-chats/commands/save-group-chat.js';
import { describeDb } from '../../test/db.js';
import { appCtx, buildCustomer, buildEmployees } from '../../test/factories.js';
import { buildWecomCorp, callWecom, snapshotCorp, useWecomApp } from '../test-support.js';

describeDb('wecom group chats (groupchat/list, get, add/get/update/del_join_way)', (db) => {
  const app = useWecomApp(db);
  const post = (token: string, path: string, body: unknown) => callWecom(app(), `externalcontact/groupchat/${path}`, { token, body });

  /** A corp with two members, a customer, and three chats: two of u1's (one transferred) and one of u2's. */
  async function scene() {
    const corp = await buildWecomCorp(app(), db().db);
    const ctx = appCtx(db().db, corp.corpId);
    const [u1, u2] = (await buildEmployees(ctx, 2)) as [string, string];
    const customer = await buildCustomer(ctx, [u1]);
    await withTx(ctx, async (tx) => {
      await saveGroupChat(tx, { mode: 'create', chatId: 'wrA', owner: u1, name: '看房一群', notice: '欢迎' });
      await saveGroupChat(tx, { mode: 'create', chatId: 'wrB', owner: u1, status: 3 });
      await saveGroupChat(tx, { mode: 'create', chatId: 'wrC', owner: u2 });
      await recordChatJoin(tx, { chatId: 'wrA', member: { userid: u1 }, joinTime: new Date('2026-03-01T00:00:00Z'), joinScene: 1 });
      await recordChatJoin(tx, {
        chatId: 'wrA',
        member: { externalUserid: customer },
        joinTime: new Date('2026-03-02T08:00:00Z'),
        joinScene: 3,
        state: '三月活动',
        invitor: u1,
        name: '李四',
        unionid: 'oUnion1',
      });
    });
    return { corp, u1, u2, customer };
  }

  it('groupchat/list filters by status and owner and pages with next_cursor', async () => {
    const { corp, u1, u2 } = await scene();
    const all = await post(corp.token, 'list', { status_filter: 0, limit: 2 });
    expect(all.body).toMatchObject({
      errcode: 0,
      errmsg: 'ok',
      group_chat_list: [
        { chat_id: 'wrA', status: 0 },
        { chat_id: 'wrB', status: 3 },
      ],
    });
    const rest = await post(corp.token, 'list', { limit: 2, cursor: all.body.next_cursor });
    expect(rest.body).toMatchObject({ group_chat_list: [{ chat_id: 'wrC', status: 0 }], next_cursor: '' });
    expect((await post(corp.token, 'list', { status_filter: 3, limit: 10 })).body.group_chat_list).toEqual([{ chat_id: 'wrB', status: 3 }]);
    expect((await post(corp.token, 'list', { owner_filter: { userid_list: [u2] }, limit: 10 })).body.group_chat_list).toEqual([{ chat_id: 'wrC', status: 0 }]);
    expect((await post(corp.token, 'list', { owner_filter: { userid_list: [u1, ''] }, limit: 10 })).body.group_chat_list).toHaveLength(2);
  });

  it('groupchat/list refuses a missing or out-of-range limit, a bad status_filter and a foreign cursor, keeping its empty fields', async () => {
    const { corp } = await scene();
    for (const body of [
      {},
      { limit: 0 },
      { limit: 1001 },
      { limit: 10, status_filter: 4 },
      { limit: '10' },
      { limit: 10, owner_filter: { userid_list: Array.from({ length: 101 }, (_, i) => `u${i}`) } },
    ]) {
      const res = await post(corp.token, 'list', body);
      expect(res.body, JSON.stringify(body)).toMatchObject({ errcode: 40058, group_chat_list: [], next_cursor: '' });
    }
    expect((await post(corp.token, 'list', { limit: 10, cursor: 'not-ours!' })).body.errcode).toBe(50100);
    expect((await callWecom(app(), 'externalcontact/groupchat/list', { body: { limit: 10 } })).body.errcode).toBe(41001);
  });

  it('groupchat/get shows members with join_time, join_scene, invitor, state; name only with need_name', async () => {
    const { corp, u1, customer } = await scene();
    const res = await post(corp.token, 'get', { chat_id: 'wrA', need_name: 1 });
    expect(res.body).toEqual({
      errcode: 0,
      errmsg: 'ok',
      group_chat: {
        chat_id: 'wrA',
        name: '看房一群',
        owner: u1,
        create_time: expect.any(Number),
        notice: '欢迎',
        member_list: [
          { userid: u1, type: 1, join_time: 1772323200, join_scene: 1, group_nickname: '', name: '' },
          {
            userid: customer,
            type: 2,
            unionid: 'oUnion1',
            join_time: 1772438400,
            join_scene: 3,
            invitor: { userid: u1 },
            group_nickname: '',
            name: '李四',
            state: '三月活动',
          },
        ],
        admin_list: [],
        member_version: '2',
      },
    });
    const withoutNames = (await post(corp.token, 'get', { chat_id: 'wrA' })).body.group_chat.member_list;
    expect(withoutNames.every((m: object) => !('name' in m))).toBe(true);
    expect((await post(corp.token, 'get', { chat_id: 'wrNOPE' })).body).toMatchObject({ errcode: 40050, group_chat: {} });
    expect((await post(corp.token, 'get', {})).body.errcode).toBe(40058);
    expect((await post(corp.token, 'get', { chat_id: 'wrA', need_name: 2 })).body.errcode).toBe(40058);
  });

  it("another corp's token sees none of these chats", async () => {
    await scene();
    const other = await buildWecomCorp(app(), db().db);
    expect((await post(other.token, 'list', { limit: 100 })).body.group_chat_list).toEqual([]);
    expect((await post(other.token, 'get', { chat_id: 'wrA' })).body.errcode).toBe(40050);
  });

  it('join ways: add → get → update → del, with state and chat_id_list kept', async () => {
    const { corp } = await scene();
    const added = await post(corp.token, 'add_join_way', {
      scene: 2,
      remark: '三月活动',
      auto_create_room: 1,
      room_base_name: '看房群',
      room_base_id: 10,
      chat_id_list: ['wrA', 'wrC'],
      state: 'march2026',
    });
    expect(added.body).toMatchObject({ errcode: 0, config_id: expect.stringMatching(/^jw/) });
    const configId = added.body.config_id as string;
    const got = await post(corp.token, 'get_join_way', { config_id: configId });
    expect(got.body.join_way).toEqual({
      config_id: configId,
      scene: 2,
      remark: '三月活动',
      auto_create_room: 1,
      room_base_name: '看房群',
      room_base_id: 10,
      chat_id_list: ['wrA', 'wrC'],
      qr_code: `tagloom://join-way/${configId}`,
      state: 'march2026',
    });
    expect((await post(corp.token, 'update_join_way', { config_id: configId, scene: 1, chat_id_list: ['wrB'], state: null })).body).toEqual({
      errcode: 0,
      errmsg: 'ok',
    });
    expect((await post(corp.token, 'get_join_way', { config_id: configId })).body.join_way).toMatchObject({
      scene: 1,
      chat_id_list: ['wrB'],
      state: 'march2026',
      qr_code: '',
    });
    expect((await post(corp.token, 'del_join_way', { config_id: configId })).body).toEqual({ errcode: 0, errmsg: 'ok' });
    expect((await post(corp.token, 'get_join_way', { config_id: configId })).body).toMatchObject({ errcode: 40058, join_way: {} });
    expect((await post(corp.token, 'del_join_way', { config_id: configId })).body.errcode).toBe(40058);
  });

  it('join ways refuse over-long state, more than 5 chats, unknown chats and bad scenes, and change nothing', async () => {
    const { corp } = await scene();
    const before = await snapshotCorp(db().db, corp.corpId);
    const base = { scene: 2, chat_id_list: ['wrA'] };
    const cases: [unknown, number][] = [
      [{ ...base, state: 's'.repeat(31) }, 40058],
      [{ ...base, remark: 'r'.repeat(31) }, 40058],
      [{ ...base, room_base_name: 'n'.repeat(41) }, 40058],
      [{ ...base, chat_id_list: ['wrA', 'wrB', 'wrC', 'wr4', 'wr5', 'wr6'] }, 40058],
      [{ ...base, chat_id_list: [] }, 40058],
      [{ ...base, chat_id_list: ['wrA', 'wrA'] }, 40058],
      [{ ...base, chat_id_list: ['wrNOPE'] }, 40050],
      [{ ...base, scene: 3 }, 40058],
      [{ chat_id_list: ['wrA'] }, 40058],
      [{ ...base, auto_create_room: 2 }, 40058],
    ];
    for (const [body, errcode] of cases)
      expect((await post(corp.token, 'add_join_way', body)).body, JSON.stringify(body)).toMatchObject({ errcode, config_id: '' });
    // A state of 30 Chinese characters is within the limit (characters, not bytes).
    const ok = await post(corp.token, 'add_join_way', { ...base, state: '活'.repeat(30) });
    expect(ok.body.errcode).toBe(0);
    const after = await snapshotCorp(db().db, corp.corpId);
    expect(after.events).toBe((before.events ?? 0) + 1);
    expect((await post(corp.token, 'update_join_way', { config_id: ok.body.config_id, chat_id_list: ['wrNOPE'] })).body.errcode).toBe(40050);
    expect((await post(corp.token, 'update_join_way', { config_id: 'jwNOPE', state: 'x' })).body.errcode).toBe(40058);
    expect((await post(corp.token, 'update_join_way', { state: 'x' })).body.errcode).toBe(40058);
  });
});
