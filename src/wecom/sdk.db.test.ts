import type { AddressInfo } from 'node:net';
// Imported from the package root as a user would; package.json pins node-socialite 1.4.1 for it,
// since 1.5 dropped a file the package root requires.
import { Work } from 'node-easywechat';
import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../test/db.js';
import { appCtx, buildCorp, buildCustomer, buildEmployees } from '../test/factories.js';
import { useWecomApp } from './test-support.js';

/** node-easywechat caches tokens in files under the working directory by default; tests keep them in memory. */
class MemoryCache {
  private readonly entries = new Map<string, { data: unknown; until: number }>();
  async get(key: string) {
    const hit = this.entries.get(key);
    return hit && hit.until > Date.now() ? hit.data : null;
  }
  async has(key: string) {
    return (await this.get(key)) !== null;
  }
  async set(key: string, data?: unknown, lifetime = 0) {
    this.entries.set(key, { data, until: lifetime > 0 ? Date.now() + lifetime * 1000 : Number.MAX_SAFE_INTEGER });
    return true;
  }
  async delete(key: string) {
    return this.entries.delete(key);
  }
}

describeDb('node-easywechat (unmodified) against a listening Tagloom', (db) => {
  const app = useWecomApp(db);
  let baseURL = '';
  beforeAll(async () => {
    await app().listen({ port: 0, host: '127.0.0.1' });
    baseURL = `http://127.0.0.1:${(app().server.address() as AddressInfo).port}/`;
  });

  /** The SDK pointed at our server through its documented `http.baseURL` option. */
  function sdk(corpId: string, secret: string) {
    const work = new Work({ corp_id: corpId, secret, http: { baseURL } });
    work.setCache(new MemoryCache());
    return work;
  }

  it('fetches a token and drives get/add/edit/del_corp_tag, mark_tag and the customer reads', async () => {
    const corp = await buildCorp(db().db);
    const ctx = appCtx(db().db, corp.corpId);
    const [userid] = (await buildEmployees(ctx, 1)) as [string];
    const customer = await buildCustomer(ctx, [userid]);
    const work = sdk(corp.corpId, corp.secret);

    const token = await work.getAccessToken().getToken();
    expect(typeof token).toBe('string');
    expect(await work.getAccessToken().getToken()).toBe(token);
    const client = work.getClient();
    const post = async (path: string, data: object) => (await client.postJson(`cgi-bin/externalcontact/${path}`, data)).toObject();

    expect(await post('get_corp_tag_list', {})).toEqual({ errcode: 0, errmsg: 'ok', tag_group: [] });
    const added = await post('add_corp_tag', { group_name: 'SDK组', order: 2, tag: [{ name: '甲' }, { name: '乙', order: 1 }] });
    expect(added).toMatchObject({ errcode: 0, errmsg: 'ok', tag_group: { group_name: 'SDK组', order: 2 } });
    const group = added.tag_group as { group_id: string; tag: { id: string; name: string }[] };
    expect(group.tag.map((t) => t.name)).toEqual(['甲', '乙']);
    const [jia, yi] = group.tag as [{ id: string; name: string }, { id: string; name: string }];

    expect(await post('edit_corp_tag', { id: jia.id, name: '甲改', order: 9 })).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(await post('edit_corp_tag', { id: group.group_id, name: 'SDK组改' })).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(await post('mark_tag', { userid, external_userid: customer, add_tag: [jia.id, yi.id] })).toEqual({ errcode: 0, errmsg: 'ok' });

    const listed = await post('get_corp_tag_list', { group_id: [group.group_id] });
    expect(listed.tag_group).toEqual([
      expect.objectContaining({
        group_name: 'SDK组改',
        deleted: false,
        tag: [expect.objectContaining({ name: '甲改', order: 9, deleted: false }), expect.objectContaining({ name: '乙', deleted: false })],
      }),
    ]);
    const ids = (await client.get('cgi-bin/externalcontact/list', { params: { userid } })).toObject();
    expect(ids).toEqual({ errcode: 0, errmsg: 'ok', external_userid: [customer] });
    const detail = (await client.get('cgi-bin/externalcontact/get', { params: { external_userid: customer } })).toObject();
    expect(detail.follow_user[0].tags.map((t: { tag_name: string; type: number }) => [t.tag_name, t.type]).sort()).toEqual([
      ['乙', 1],
      ['甲改', 1],
    ]);

    expect(await post('del_corp_tag', { tag_id: [jia.id, yi.id] })).toEqual({ errcode: 0, errmsg: 'ok' });
    const gone = await post('get_corp_tag_list', { tag_id: [jia.id] });
    expect(gone.tag_group[0]).toMatchObject({ group_id: group.group_id, deleted: true, tag: [expect.objectContaining({ id: jia.id, deleted: true })] });
    expect((await post('get_corp_tag_list', {})).tag_group).toEqual([]);
  });

  it('drives the Moments calls: add_moment_task by tag, its task result, the list and the planned customers', async () => {
    const corp = await buildCorp(db().db);
    const ctx = appCtx(db().db, corp.corpId);
    const [userid] = (await buildEmployees(ctx, 1)) as [string];
    const [tagged, untagged] = [await buildCustomer(ctx, [userid]), await buildCustomer(ctx, [userid])];
    const client = sdk(corp.corpId, corp.secret).getClient();
    const post = async (path: string, data: object) => (await client.postJson(`cgi-bin/externalcontact/${path}`, data)).toObject();

    const tagId = (await post('add_corp_tag', { group_name: '肤质', tag: [{ name: '敏感肌' }] })).tag_group.tag[0].id as string;
    expect(await post('mark_tag', { userid, external_userid: tagged, add_tag: [tagId] })).toEqual({ errcode: 0, errmsg: 'ok' });
    const added = await post('add_moment_task', {
      text: { content: '敏感肌修护' },
      visible_range: { sender_list: { user_list: [userid] }, external_contact_list: { tag_list: [tagId] } },
    });
    expect(added).toMatchObject({ errcode: 0, errmsg: 'ok', jobid: expect.any(String) });
    const result = (await client.get('cgi-bin/externalcontact/get_moment_task_result', { params: { jobid: added.jobid } })).toObject();
    expect(result).toMatchObject({ errcode: 0, status: 3, type: 'add_moment_task', result: { errcode: 0, moment_id: expect.any(String) } });
    const momentId = result.result.moment_id as string;
    const now = Math.floor(Date.now() / 1000);
    const listed = await post('get_moment_list', { start_time: now - 600, end_time: now + 600, filter_type: 0 });
    expect(listed.moment_list.map((m: { moment_id: string }) => m.moment_id)).toEqual([momentId]);
    const planned = await post('get_moment_customer_list', { moment_id: momentId, userid });
    expect(planned.customer_list).toEqual([{ userid, external_userid: tagged }]);
    expect(planned.customer_list).not.toContainEqual({ userid, external_userid: untagged });
    expect(await post('cancel_moment_task', { moment_id: momentId })).toEqual({ errcode: 0, errmsg: 'ok' });
  });

  it('surfaces WeCom errors to the SDK as errcode replies (HTTP 200), and a bad secret as a token failure', async () => {
    const corp = await buildCorp(db().db);
    const client = sdk(corp.corpId, corp.secret).getClient();
    const res = await client.postJson('cgi-bin/externalcontact/edit_corp_tag', { id: 'etNOPE', name: 'x' });
    expect(res.getStatusCode()).toBe(200);
    expect(res.toObject()).toMatchObject({ errcode: 40068 });
    expect((await client.postJson('cgi-bin/externalcontact/add_corp_tag', { group_name: 'g', tag: [] })).toObject()).toMatchObject({
      errcode: 41018,
      tag_group: {},
    });
    await expect(sdk(corp.corpId, 'wrong-secret').getAccessToken().getToken()).rejects.toThrow(/40001/);
  });
});
