import { expect, it } from 'vitest';
import { expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { gradedScene } from './graded-scene.test-support.js';

describeDb('audiences: group chat membership (groupchat:)', (db) => {
  const app = useTestApp(db);
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

  it('follows joins and leaves live: /audiences/count sees each one as soon as it is committed', async () => {
    const { f, admin } = await gradedScene(app, db);
    expect((await admin.post('/group-chats', { chatId: 'wrMarch00001', owner: f.people.shStaff, name: '3月活动群' })).status).toBe(201);
    const count = async (text: string) => {
      const res = await admin.post('/audiences/count', { text });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.count as number;
    };
    // Built before any join: what follows arrives through the event tail.
    expect(await count('groupchat:*')).toBe(0);

    const join = (who: { externalUserid: string } | { userid: string }, days: number) =>
      admin.post('/group-chats/wrMarch00001/members', { ...who, joinTime: daysAgo(days), joinScene: 3 });
    expect((await join({ externalUserid: f.shCustomer }, 1)).status).toBe(201);
    expect((await join({ externalUserid: f.bjCustomer }, 10)).status).toBe(201);
    // An employee in the chat is no customer member.
    expect((await join({ userid: f.people.shStaff }, 1)).status).toBe(201);
    expect(await count('groupchat:*')).toBe(2);
    expect(await count('groupchat:3月活动群')).toBe(2);
    expect(await count('groupchat:wrMarch00001(within=3d)')).toBe(1);
    expect(await count('not groupchat:*')).toBe(1);

    await admin.post('/customer-events', {
      events: [
        { externalUserid: f.shCustomer, type: 'moment.liked', target: 'm1', occurredAt: daysAgo(0.5) },
        { externalUserid: f.shCustomer, type: 'moment.commented', target: 'm1', occurredAt: daysAgo(0.4) },
        { externalUserid: f.shCustomer, type: 'moment.liked', target: 'm2', occurredAt: daysAgo(0.3) },
        { externalUserid: f.bjCustomer, type: 'moment.liked', target: 'm1', occurredAt: daysAgo(0.5) },
        { externalUserid: f.bjCustomer, type: 'moment.liked', target: 'm2', occurredAt: daysAgo(0.5) },
      ],
    });
    const rule = await admin.post('/audiences/count', { text: 'groupchat:*(within=3d) and event:moment.liked(count>=2)' });
    expect(rule.body).toMatchObject({ count: 1, sample: [{ externalUserid: f.shCustomer }], text: 'groupchat:*(within=3d) and event:moment.liked(count>=2)' });

    // A re-join moves the join time; a leave takes the customer out.
    expect((await join({ externalUserid: f.bjCustomer }, 2)).status).toBe(201);
    expect(await count('groupchat:3月活动群(within=3d)')).toBe(2);
    expect((await admin.delete(`/group-chats/wrMarch00001/members/${f.shCustomer}`)).status).toBe(200);
    expect(await count('groupchat:*')).toBe(1);
    expect(await count('groupchat:*(within=3d) and event:moment.liked(count>=2)')).toBe(1);
    const left = await admin.post('/audiences/count', { text: 'groupchat:*' });
    expect(left.body.sample).toEqual([expect.objectContaining({ externalUserid: f.bjCustomer })]);
  });

  it('prints chats by name, explains membership with the join time, and refuses unknown chats at their position or path', async () => {
    const { f, admin, as } = await gradedScene(app, db);
    await admin.post('/group-chats', { chatId: 'wrMarch00001', owner: f.people.shStaff, name: '3月活动群' });
    await admin.post('/group-chats/wrMarch00001/members', { externalUserid: f.shCustomer, joinTime: '2026-03-02T02:00:00.000Z', joinScene: 1 });

    const printed = await admin.post('/audiences/count', { expression: { groupChat: { id: 'wrMarch00001', window: { within: { amount: 3, unit: 'd' } } } } });
    expect(printed.body.text).toBe('groupchat:3月活动群(within=3d)');
    const why = await admin.post('/audiences/explain', { text: 'groupchat:3月活动群', externalUserid: f.shCustomer });
    expect(why.status).toBe(200);
    expect(why.body.held).toBe(true);
    expect(why.body.explanation.reason).toMatch(/^member of 3月活动群 since (2026-)?03-02 10:00$/);
    const out = await admin.post('/audiences/explain', { text: 'groupchat:3月活动群', externalUserid: f.bjCustomer });
    expect(out.body).toMatchObject({ held: false, explanation: { reason: 'not a member' } });

    const unknown = await expectRefused(
      db().db,
      f.corpId,
      () => admin.post('/audiences/count', { text: 'tag:A级 and groupchat:wrNope000001' }),
      400,
      'validation_failed',
    );
    expect(unknown.body.error.details[0]).toMatchObject({ path: 'body.text', line: 1, column: 22 });
    expect(unknown.body.error.details[0].message).toContain("unknown group chat 'wrNope000001'");
    const byName = await expectRefused(db().db, f.corpId, () => admin.post('/audiences/count', { text: 'groupchat:没有的群' }), 400, 'validation_failed');
    expect(byName.body.error.details[0]).toMatchObject({ column: 11 });
    const ast = await expectRefused(
      db().db,
      f.corpId,
      () => admin.post('/audiences/count', { expression: { all: [{ tag: f.grade.tags[0]!.tagId }, { groupChat: { id: 'wrNope000001' } }] } }),
      404,
      'chat_not_found',
    );
    expect(ast.body.error.details).toEqual([{ path: 'body.expression.all.1.groupChat.id', message: 'unknown group chat "wrNope000001"' }]);
    // A chat whose owner is outside the caller's data scope is unknown to them, as the chat listing has it.
    await expectRefused(db().db, f.corpId, () => as('bjStaff').post('/audiences/count', { text: 'groupchat:3月活动群' }), 400, 'validation_failed');
    expect((await as('shStaff').post('/audiences/count', { text: 'groupchat:3月活动群' })).body.count).toBe(1);
    // A short id, not shaped like WeCom's, reads as a name first and then as the id; it prints with #.
    await admin.post('/group-chats', { chatId: 'wrX', owner: f.people.shStaff, name: '' });
    const short = await admin.post('/audiences/count', { text: 'groupchat:wrX' });
    expect(short.body).toMatchObject({ count: 0, text: 'groupchat:#wrX' });
  });

  it('drives a smart tag: "joined a group chat within 3 days and liked Moments twice" follows joins and leaves', async () => {
    const { f, admin } = await gradedScene(app, db);
    await admin.post('/group-chats', { chatId: 'wrMarch00001', owner: f.people.shStaff, name: '3月活动群' });
    const text = 'groupchat:*(within=3d) and event:moment.liked(count>=2)';
    const created = await admin.post('/smart-groups', { name: '社群活跃', tags: [{ name: '新入群活跃', text }] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.tags[0].text).toBe(text);
    const smartTag = created.body.tags[0].tagId as string;
    const carriers = async () =>
      ((await admin.post('/audiences/count', { expression: { tag: smartTag }, sampleSize: 10 })).body.sample as { externalUserid: string }[]).map(
        (x) => x.externalUserid,
      );
    const eventually = async (want: string[]) => {
      const started = Date.now();
      let got = await carriers();
      while (JSON.stringify(got) !== JSON.stringify(want) && Date.now() - started < 5000) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        got = await carriers();
      }
      return got;
    };
    await admin.post('/customer-events', {
      events: [
        { externalUserid: f.shCustomer, type: 'moment.liked', target: 'm1', occurredAt: daysAgo(0.5) },
        { externalUserid: f.shCustomer, type: 'moment.liked', target: 'm2', occurredAt: daysAgo(0.2) },
      ],
    });
    expect(await eventually([])).toEqual([]);
    await admin.post('/group-chats/wrMarch00001/members', { externalUserid: f.shCustomer, joinTime: daysAgo(1), joinScene: 3 });
    expect(await eventually([f.shCustomer])).toEqual([f.shCustomer]);
    await admin.delete(`/group-chats/wrMarch00001/members/${f.shCustomer}`);
    expect(await eventually([])).toEqual([]);
  });
});
