import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiClient, buildApiScene, useTestApp } from '../../../test/api.js';
import { describeDb } from '../../../test/db.js';
import { FakeWecom } from '../fake-wecom.test-support.js';
import { remoteIdOf } from '../id-map.js';
import { connectCorp } from './test-support.js';

// The push against the shared fake WeCom server (real HTTP on 127.0.0.1): the library and marks
// land there, an expired token is renewed, and its mark_tag rate limit backs the push off.
describeDb('WeCom push against the fake WeCom server', (db) => {
  let wecom: FakeWecom;
  let ahead = 0;
  const app = useTestApp(db, { push: { run: false, now: () => new Date(Date.now() + ahead) } });
  beforeAll(async () => {
    wecom = await FakeWecom.start({ markTagPerMinute: 2 });
  });
  afterAll(async () => {
    await wecom?.close();
  });

  it('creates tags, marks in order, renews an expired token and backs off on 45009 until delivered', async () => {
    const s = await buildApiScene(db().db);
    const secret = 'fake-contact-secret';
    wecom.addCorp(s.corpId, secret);
    wecom.seed(s.corpId, { customers: [{ external_userid: s.customer, name: '客户', follow: [{ userid: s.staffA }] }] });
    await connectCorp(db().db, app().secretBox!, s.corpId, { corpid: s.corpId, secret, apiBase: wecom.url });
    await app().consumers.settle(s.corpId);
    const api = apiClient(app, s.key);
    const group = (await api.post('/tag-groups', { name: '推送组', tags: [{ name: '甲' }, { name: '乙' }] })).body;
    const [a, b] = (group.tags as { tagId: string }[]).map((t) => t.tagId) as [string, string];
    const mark = (body: object) => api.post(`/customers/${s.customer}/follows/${s.staffA}/tags`, body);
    expect((await mark({ add: [a] })).status).toBe(200);
    expect((await mark({ add: [b] })).status).toBe(200);
    expect((await mark({ remove: [b] })).status).toBe(200);
    await app().consumers.settle(s.corpId);
    wecom.expireTokens();
    const first = await app().wecomPusher.drain(s.corpId);
    expect(first.dead).toBe(0);
    const remoteGroup = wecom.tags(s.corpId).find((g) => g.group_name === '推送组')!;
    expect(remoteGroup.tags.map((t) => t.name).sort()).toEqual(['乙', '甲']);
    const ra = (await remoteIdOf(db().db as never, s.corpId, 'tag', a))!;
    // The fake allows two mark_tag calls a minute: the third is refused with 45009 and waits.
    for (let i = 0; i < 5 && (await app().wecomPusher.drain(s.corpId)).delivered + first.delivered < 4; i += 1) ahead += 61_000;
    ahead += 61_000;
    await app().wecomPusher.drain(s.corpId);
    expect(wecom.marks(s.corpId, s.staffA, s.customer)).toEqual([ra]);
    expect((await api.get('/connector/push/summary')).body).toMatchObject({ pending: 0, dead: 0 });
    const marks = wecom.callsTo('externalcontact/mark_tag').filter((c) => (c.body as { external_userid?: string }).external_userid === s.customer);
    expect(marks.filter((c) => c.errcode === 0).map((c) => c.body)).toEqual([
      { userid: s.staffA, external_userid: s.customer, add_tag: [ra], remove_tag: [] },
      { userid: s.staffA, external_userid: s.customer, add_tag: [], remove_tag: [expect.any(String)] },
    ]);
    expect(JSON.stringify(wecom.calls.map((c) => c.query))).not.toContain(secret);
  });
});
