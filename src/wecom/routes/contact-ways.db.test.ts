import { expect, it } from 'vitest';
import { systemContext, withTx } from '../../context.js';
import { addDepartments } from '../../modules/org/commands/add-org.js';
import { describeDb } from '../../test/db.js';
import { buildEmployees } from '../../test/factories.js';
import { buildWecomCorp, callWecom, snapshotCorp, useWecomApp } from '../test-support.js';

describeDb('wecom contact ways (add|get|list|update|del_contact_way)', (db) => {
  const app = useWecomApp(db);
  const call = (token: string, path: string, body: unknown) => callWecom(app(), `externalcontact/${path}`, { token, body });

  async function corpWithStaff(n = 2) {
    const corp = await buildWecomCorp(app(), db().db);
    await withTx(systemContext(db().db, corp.corpId), (tx) => addDepartments(tx, [{ deptId: 1, name: '总部' }]));
    return { ...corp, staff: await buildEmployees(corp.ctx, n) };
  }

  it('round-trips a way: add → get → list with cursor and limit → update → del', async () => {
    const c = await corpWithStaff();
    const added = await call(c.token, 'add_contact_way', {
      type: 1,
      scene: 2,
      style: 1,
      remark: '三月活动',
      skip_verify: true,
      state: 'march-2026',
      user: [c.staff[0]],
      conclusions: { text: { content: '欢迎' } },
    });
    expect(added.body).toMatchObject({ errcode: 0, errmsg: 'ok' });
    const configId = added.body.config_id as string;
    expect(added.body.qr_code).toBe(`/c/${configId}`);

    const got = await call(c.token, 'get_contact_way', { config_id: configId });
    expect(got.body).toEqual({
      errcode: 0,
      errmsg: 'ok',
      contact_way: {
        config_id: configId,
        type: 1,
        scene: 2,
        style: 1,
        remark: '三月活动',
        skip_verify: true,
        state: 'march-2026',
        qr_code: `/c/${configId}`,
        user: [c.staff[0]],
        party: [],
        is_temp: false,
        conclusions: { text: { content: '欢迎' } },
      },
    });

    // A mini-program way has no qr_code; a multi-person way takes several members and departments.
    const second = await call(c.token, 'add_contact_way', { type: 2, scene: 1, user: c.staff, party: [1] });
    expect(second.body).toEqual({ errcode: 0, errmsg: 'ok', config_id: expect.any(String) });
    const third = await call(c.token, 'add_contact_way', { type: 1, scene: 2, user: [c.staff[1]], is_temp: true, expires_in: 3600, chat_expires_in: 86400 });
    expect(third.body.errcode).toBe(0);

    const page1 = await call(c.token, 'list_contact_way', { limit: 2 });
    expect(page1.body.contact_way).toEqual([{ config_id: configId }, { config_id: second.body.config_id }]);
    expect(page1.body.next_cursor).not.toBe('');
    const page2 = await call(c.token, 'list_contact_way', { limit: 2, cursor: page1.body.next_cursor });
    expect(page2.body).toEqual({ errcode: 0, errmsg: 'ok', contact_way: [{ config_id: third.body.config_id }], next_cursor: '' });
    const past = await call(c.token, 'list_contact_way', { start_time: 1_600_000_000, end_time: 1_600_086_400 });
    expect(past.body).toEqual({ errcode: 0, errmsg: 'ok', contact_way: [], next_cursor: '' });

    const updated = await call(c.token, 'update_contact_way', { config_id: configId, remark: '四月活动', state: 'april-2026', user: [c.staff[1]] });
    expect(updated.body).toEqual({ errcode: 0, errmsg: 'ok' });
    const after = (await call(c.token, 'get_contact_way', { config_id: configId })).body.contact_way;
    expect(after).toMatchObject({ remark: '四月活动', state: 'april-2026', user: [c.staff[1]], style: 1, type: 1 });

    expect((await call(c.token, 'del_contact_way', { config_id: configId })).body).toEqual({ errcode: 0, errmsg: 'ok' });
    expect((await call(c.token, 'get_contact_way', { config_id: configId })).body).toMatchObject({ errcode: 40058, contact_way: {} });
    expect((await call(c.token, 'list_contact_way', {})).body.contact_way).toEqual([{ config_id: second.body.config_id }, { config_id: third.body.config_id }]);
    // Its state is free again for a new way.
    expect((await call(c.token, 'add_contact_way', { type: 1, scene: 2, user: [c.staff[0]], state: 'april-2026' })).body.errcode).toBe(0);
  });

  it('refuses bad input with WeCom errcodes and changes nothing', async () => {
    const c = await corpWithStaff();
    const other = await corpWithStaff();
    const foreign = (await call(other.token, 'add_contact_way', { type: 1, scene: 2, user: [other.staff[0]], state: 'theirs' })).body.config_id as string;
    const mine = (await call(c.token, 'add_contact_way', { type: 1, scene: 2, user: [c.staff[0]], state: 'taken' })).body.config_id as string;
    const before = await snapshotCorp(db().db, c.corpId);
    const cases: [string, unknown, number, RegExp][] = [
      ['add_contact_way', { scene: 2, user: [c.staff[0]] }, 40058, /type/],
      ['add_contact_way', { type: 1, user: [c.staff[0]] }, 40058, /scene/],
      ['add_contact_way', { type: 3, scene: 2, user: [c.staff[0]] }, 40058, /type/],
      ['add_contact_way', { type: 1, scene: 2, user: [c.staff[0]], state: 'x'.repeat(31) }, 40058, /state/],
      ['add_contact_way', { type: 1, scene: 2, user: [c.staff[0]], remark: '长'.repeat(31) }, 40058, /remark/],
      ['add_contact_way', { type: 1, scene: 2, user: ['nobody'] }, 40003, /nobody/],
      ['add_contact_way', { type: 1, scene: 2, user: [other.staff[0]] }, 40003, /userid/],
      ['add_contact_way', { type: 1, scene: 2, user: c.staff }, 40058, /user/],
      ['add_contact_way', { type: 1, scene: 2 }, 40058, /user/],
      ['add_contact_way', { type: 2, scene: 2, party: [999] }, 60123, /party/],
      ['add_contact_way', { type: 2, scene: 2, user: c.staff, is_temp: true }, 40058, /is_temp/],
      ['add_contact_way', { type: 1, scene: 2, user: [c.staff[0]], is_temp: true, expires_in: 15 * 86400 }, 40058, /expires_in/],
      ['add_contact_way', { type: 1, scene: 2, user: [c.staff[0]], state: 'taken' }, 40058, /state/],
      ['add_contact_way', { type: '1', scene: 2, user: [c.staff[0]] }, 40058, /type/],
      ['add_contact_way', { type: 1, scene: 2, user: 'u1' }, 40058, /user/],
      ['get_contact_way', { config_id: foreign }, 40058, /config_id/],
      ['get_contact_way', {}, 40058, /config_id/],
      ['update_contact_way', { config_id: foreign, remark: '偷改' }, 40058, /config_id/],
      ['update_contact_way', { config_id: mine, state: 'y'.repeat(31) }, 40058, /state/],
      ['update_contact_way', { config_id: mine, user: ['nobody'] }, 40003, /nobody/],
      ['del_contact_way', { config_id: foreign }, 40058, /config_id/],
      ['list_contact_way', { cursor: 'bm90LWEtY3Vyc29y' }, 50100, /cursor/],
      ['list_contact_way', { limit: 1001 }, 40058, /limit/],
      ['list_contact_way', { start_time: 200, end_time: 100 }, 40058, /start_time/],
      ['list_contact_way', { start_time: 1e15 }, 40058, /start_time/],
    ];
    for (const [path, body, errcode, message] of cases) {
      const res = await call(c.token, path, body);
      expect({ path, body, errcode: res.body.errcode }).toEqual({ path, body, errcode });
      expect(res.body.errmsg).toMatch(message);
      expect(res.status).toBe(200);
    }
    expect(await snapshotCorp(db().db, c.corpId)).toEqual(before);
    // The other corp's way is untouched too.
    expect((await call(other.token, 'get_contact_way', { config_id: foreign })).body.contact_way.state).toBe('theirs');
  });
});
