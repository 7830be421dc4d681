import { and, asc, eq, sql } from 'drizzle-orm';
import { beforeEach, expect, it } from 'vitest';
import { systemContext } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { events, wecomPushQueue } from '../../../db/schema/index.js';
import { apiClient, buildApiScene, useTestApp } from '../../../test/api.js';
import { describeDb } from '../../../test/db.js';
import { buildTagGroup } from '../../../test/factories.js';
import { markTags } from '../../customers/commands/mark-tags.js';
import { localIdOf, remoteIdOf } from '../id-map.js';
import { WecomPusher } from './pusher.js';
import { connectCorp, PushFakeWecom, setPush } from './test-support.js';

describeDb('WeCom push', (db) => {
  const fake = new PushFakeWecom('wwfakecorp', 'contact-secret-XYZ');
  // The pusher's clock: real time moved forward by `ahead` (a test moves it past a backoff).
  let ahead = 0;
  const now = () => new Date(Date.now() + ahead);
  const app = useTestApp(db, { push: { run: false, fetch: fake.fetch, now } });
  const push = () => app().wecomPusher;
  beforeEach(() => {
    ahead = 0;
  });

  /** A corp connected to the fake with push on, its consumer cursor started, and a customer the fake knows. */
  async function connectedScene(pushEnabled = true) {
    const scene = await buildApiScene(db().db);
    await connectCorp(db().db, app().secretBox!, scene.corpId, fake, pushEnabled);
    await app().consumers.settle(scene.corpId);
    fake.relations.add(`${scene.staffA}|${scene.customer}`);
    return { ...scene, api: apiClient(app, scene.key) };
  }
  const settle = (corpId: string) => app().consumers.settle(corpId);
  const queue = (corpId: string) => db().db.select().from(wecomPushQueue).where(eq(wecomPushQueue.corpId, corpId)).orderBy(asc(wecomPushQueue.seq));
  async function newGroup(s: Awaited<ReturnType<typeof connectedScene>>, names: string[]) {
    const res = await s.api.post('/tag-groups', { name: `组${Math.random().toString(36).slice(2, 8)}`, tags: names.map((name) => ({ name })) });
    expect(res.status).toBe(201);
    return { groupId: res.body.groupId as string, tagIds: (res.body.tags as { tagId: string }[]).map((t) => t.tagId), name: res.body.name as string };
  }

  it('creates a local group with its tags in WeCom, maps ids both ways, then renames and deletes there', async () => {
    const s = await connectedScene();
    const g = await newGroup(s, ['高意向', '低意向']);
    await settle(s.corpId);
    expect((await queue(s.corpId)).map((r) => [r.op, r.orderKey, r.status])).toEqual([['add_corp_tag', 'tags', 'pending']]);
    expect(await push().drain(s.corpId)).toMatchObject({ delivered: 1, dead: 0 });
    const remoteGroup = [...fake.groups.values()].find((x) => x.name === g.name)!;
    expect([...remoteGroup.tags.values()].map((t) => t.name).sort()).toEqual(['低意向', '高意向']);
    const tx = db().db as never;
    const remoteTag = (await remoteIdOf(tx, s.corpId, 'tag', g.tagIds[0]!))!;
    expect(remoteGroup.tags.has(remoteTag)).toBe(true);
    expect(await localIdOf(tx, s.corpId, 'tag', remoteTag)).toBe(g.tagIds[0]);
    expect(await remoteIdOf(tx, s.corpId, 'tag_group', g.groupId)).toBe(remoteGroup.id);

    expect((await s.api.patch(`/tags/${g.tagIds[0]}`, { name: '很高意向' })).status).toBe(200);
    expect((await s.api.patch(`/tags/${g.tagIds[1]}`, { color: '#ff0000' })).status).toBe(200); // WeCom has no colours: nothing to push
    expect((await s.api.post('/tags/delete', { tagIds: [g.tagIds[1]] })).status).toBe(200);
    await settle(s.corpId);
    expect((await queue(s.corpId)).filter((r) => r.status === 'pending').map((r) => r.op)).toEqual(['edit_corp_tag', 'del_corp_tag']);
    await push().drain(s.corpId);
    expect([...remoteGroup.tags.values()].map((t) => t.name)).toEqual(['很高意向']);
    expect(await remoteIdOf(tx, s.corpId, 'tag', g.tagIds[1]!)).toBeNull();
    expect(fake.calls.filter((c) => c.path === 'externalcontact/del_corp_tag').at(-1)?.body).toEqual({
      tag_id: [expect.any(String)],
      group_id: [],
    });
  });

  it('pushes marks per relation in order: a rapid add, remove, add of one tag ends added, and a mark waits for its new tag', async () => {
    const s = await connectedScene();
    const g = await newGroup(s, ['A', 'B']);
    const [a, b] = g.tagIds as [string, string];
    const mark = (body: object) => s.api.post(`/customers/${s.customer}/follows/${s.staffA}/tags`, body);
    expect((await mark({ add: [a, b] })).status).toBe(200);
    expect((await mark({ remove: [a] })).status).toBe(200);
    expect((await mark({ add: [a], remove: [b] })).status).toBe(200);
    await settle(s.corpId);
    const rows = await queue(s.corpId);
    expect(rows.map((r) => r.op)).toEqual(['add_corp_tag', 'mark_tag', 'mark_tag', 'mark_tag']);
    expect(rows[1]!.payload).toEqual({ userid: s.staffA, external_userid: s.customer, add_tag: [a, b], remove_tag: [] });
    expect(await push().drain(s.corpId)).toMatchObject({ delivered: 4, dead: 0 }); // the overtaken remove is delivered as nothing to do
    const ra = (await remoteIdOf(db().db as never, s.corpId, 'tag', a))!;
    expect(fake.marksOf(s.staffA, s.customer)).toEqual([ra]);
    const marks = fake.calls.filter((c) => c.path === 'externalcontact/mark_tag' && c.body?.external_userid === s.customer);
    // Only what still holds locally is sent: the remove of A was overtaken by its re-add, and B was
    // never sent because it was taken off before the first call.
    const rb = (await remoteIdOf(db().db as never, s.corpId, 'tag', b)) ?? 'none';
    expect(marks.map((c) => [c.body?.add_tag, c.body?.remove_tag])).toEqual([
      [[ra], []],
      [[ra], [rb]],
    ]);
  });

  it('refreshes a token WeCom says expired (42001) and delivers', async () => {
    const s = await connectedScene();
    await newGroup(s, ['X']);
    await settle(s.corpId);
    await push().drain(s.corpId);
    const tokens = fake.calls.filter((c) => c.path === 'gettoken').length;
    fake.inject('externalcontact/add_corp_tag', 42001);
    await newGroup(s, ['Y']);
    await settle(s.corpId);
    expect(await push().drain(s.corpId)).toMatchObject({ delivered: 1, retried: 0, dead: 0 });
    expect(fake.calls.filter((c) => c.path === 'gettoken').length).toBe(tokens + 1);
  });

  it('backs off on a rate limit (45009) and delivers later, never dead', async () => {
    const s = await connectedScene();
    const g = await newGroup(s, ['R']);
    await settle(s.corpId);
    await push().drain(s.corpId);
    fake.inject('externalcontact/mark_tag', 45009);
    await s.api.post(`/customers/${s.customer}/follows/${s.staffA}/tags`, { add: g.tagIds });
    await settle(s.corpId);
    expect(await push().drain(s.corpId)).toMatchObject({ delivered: 0, retried: 1 });
    const [row] = (await queue(s.corpId)).filter((r) => r.op === 'mark_tag');
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastErrcode: 45009 });
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    ahead = row!.nextAttemptAt.getTime() - Date.now() + 1;
    expect(await push().drain(s.corpId)).toMatchObject({ delivered: 1 });
    expect(fake.marksOf(s.staffA, s.customer)).toHaveLength(1);
  });

  it('puts a refused call on the dead-letter list, lists it with a readable summary, and replays it', async () => {
    const s = await connectedScene();
    const g = await newGroup(s, ['D']);
    await settle(s.corpId);
    await push().drain(s.corpId);
    fake.relations.delete(`${s.staffA}|${s.customer}`); // WeCom does not know this relation (84061)
    await s.api.post(`/customers/${s.customer}/follows/${s.staffA}/tags`, { add: g.tagIds });
    await settle(s.corpId);
    expect(await push().drain(s.corpId)).toMatchObject({ dead: 1 });
    const summary = await s.api.get('/connector/push/summary');
    expect(summary.body).toMatchObject({ pushEnabled: true, pending: 0, dead: 1, oldestPendingAt: null, lastDeliveredAt: expect.any(String) });
    const dead = await s.api.get('/connector/push?status=dead');
    expect(dead.status).toBe(200);
    const [item] = dead.body.items;
    expect(item).toMatchObject({ op: 'mark_tag', orderKey: s.customer, eventType: 'follow.tags_changed', attempts: 1, lastErrcode: 84061 });
    expect(item.summary).toContain('「D」');
    expect(item.summary).toContain(s.customer);
    // The console words the same call in its reader's language from these parts.
    expect(item.description).toMatchObject({ action: 'mark', userid: s.staffA, add: ['D'], remove: [] });
    expect(item.description.customer).toContain(s.customer);

    expect((await s.api.post('/connector/push/nope/replay')).body.error.code).toBe('not_found');
    const delivered = (await s.api.get('/connector/push?status=delivered')).body.items[0];
    expect((await s.api.post(`/connector/push/${delivered.itemId}/replay`)).status).toBe(409);

    fake.relations.add(`${s.staffA}|${s.customer}`);
    expect((await s.api.post(`/connector/push/${item.itemId}/replay`)).body).toEqual({ replayed: 1 });
    const [event] = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'connector.push_replayed')));
    expect(event?.payload).toMatchObject({ itemIds: [item.itemId] });
    expect((await s.api.get('/connector/push?status=pending')).body.items[0]).toMatchObject({ itemId: item.itemId, attempts: 0 });
    expect(await push().drain(s.corpId)).toMatchObject({ delivered: 1 });
    expect(fake.marksOf(s.staffA, s.customer)).toHaveLength(1);
    expect((await s.api.post('/connector/push/replay', { all: true })).body).toEqual({ replayed: 0 });
    expect((await s.api.post('/connector/push/replay', {})).status).toBe(400);
  });

  it('does not push changes that came from WeCom (source wecom-sync), nor anything while push is off', async () => {
    const s = await connectedScene();
    const synced = systemContext(db().db, s.corpId, 'wecom-pull', 'wecom-sync');
    await buildTagGroup(synced, ['从企微来']);
    await markTags(synced, { userid: s.staffA, externalUserid: s.customer, add: [s.tags[0]!.tagId] });
    await settle(s.corpId);
    expect(await queue(s.corpId)).toEqual([]);

    await setPush(db().db, s.corpId, false);
    await newGroup(s, ['关']);
    await s.api.post(`/customers/${s.customer}/follows/${s.staffA}/tags`, { add: [s.tags[1]!.tagId] });
    await settle(s.corpId);
    expect(await queue(s.corpId)).toEqual([]);
    expect((await s.api.get('/connector/push/summary')).body).toMatchObject({ pushEnabled: false, pending: 0, dead: 0 });
  });

  it('sends each row once and keeps each customer in order with two pushers racing', async () => {
    const s = await connectedScene();
    fake.relations.add(`${s.staffB}|${s.customer}`);
    const g = await newGroup(s, ['P1', 'P2', 'P3', 'P4', 'P5', 'P6']);
    await settle(s.corpId);
    await push().drain(s.corpId);
    // Six rows for one customer, over both of its relations, each putting on another tag.
    for (const [i, tagId] of g.tagIds.entries()) {
      const userid = i % 2 === 0 ? s.staffA : s.staffB;
      expect((await s.api.post(`/customers/${s.customer}/follows/${userid}/tags`, { add: [tagId] })).status).toBe(200);
    }
    await settle(s.corpId);
    const before = fake.calls.length;
    const options = { fetch: fake.fetch, now, run: false, concurrency: 3 };
    const one = new WecomPusher(db().db, app().secretBox, options);
    const two = new WecomPusher(db().db, app().secretBox, options);
    const results = await Promise.all([one.drain(s.corpId), two.drain(s.corpId), one.drain(s.corpId), two.drain(s.corpId)]);
    expect(results.reduce((n, r) => n + r.delivered, 0)).toBe(6);
    const sent = fake.calls.slice(before).filter((c) => c.path === 'externalcontact/mark_tag');
    const remote = await Promise.all(g.tagIds.map((t) => remoteIdOf(db().db as never, s.corpId, 'tag', t)));
    expect(sent.map((c) => (c.body!.add_tag as string[])[0])).toEqual(remote);
    expect((await queue(s.corpId)).every((r) => r.status === 'delivered' && r.attempts === 1)).toBe(true);
  });

  it('never keeps a token or the secret in queue rows, errors, events or answers', async () => {
    const s = await connectedScene();
    fake.inject('externalcontact/add_corp_tag', 40072);
    await newGroup(s, ['S']);
    await settle(s.corpId);
    await push().drain(s.corpId);
    expect(fake.calls.some((c) => c.path === 'gettoken')).toBe(true);
    const stored = JSON.stringify({
      queue: await queue(s.corpId),
      events: await queryRows(db().db, sql`select * from events where corp_id = ${s.corpId}`),
      answers: [await s.api.get('/connector/push?status=dead'), await s.api.get('/connector/push/summary')].map((r) => r.body),
    });
    expect(stored).toContain('40072');
    expect(stored).not.toContain(fake.secret);
    expect(stored).not.toMatch(/tok0\d{5}/);
  });
});
