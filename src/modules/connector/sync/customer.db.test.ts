import { and, eq, gt } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { type TxCtx, withTx } from '../../../context.js';
import { customers, employees, events, follows, marks, personalTags, wecomPushQueue } from '../../../db/schema/index.js';
import { apiClient, useTestApp } from '../../../test/api.js';
import { describeDb } from '../../../test/db.js';
import { buildCorp, buildEmployees, unique } from '../../../test/factories.js';
import { applyRemoteCustomer } from './customer.js';
import { removeRemoteFollow } from './remove-follow.js';
import { applyRemoteTagLibrary } from './tag-library.js';
import { type RemoteCustomer, wecomSyncContext } from './types.js';

/** Polls until `check` passes (the audience index follows events asynchronously). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() - started > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describeDb('sync: customers from WeCom', (db) => {
  const app = useTestApp(db);

  async function scene() {
    const corp = await buildCorp(db().db);
    const [sales, support] = await buildEmployees(corp.ctx, 2);
    await withTx(wecomSyncContext(db().db, corp.ctx.corpId), (ctx) =>
      applyRemoteTagLibrary(
        ctx,
        [
          {
            group_id: 'etG1',
            group_name: '等级',
            tag: [
              { id: 'etA', name: 'A级' },
              { id: 'etB', name: 'B级' },
            ],
          },
        ],
        { complete: true },
      ),
    );
    const ext = unique('wmRemote');
    const remote = (): RemoteCustomer => ({
      external_contact: { external_userid: ext, name: '李四', type: 1, gender: 2, corp_name: '腾讯' },
      follow_user: [
        {
          userid: sales!,
          remark: '李总',
          createtime: 1_700_000_000,
          add_way: 1,
          state: 'expo',
          tags: [
            { group_name: '等级', tag_name: 'A级', tag_id: 'etA', type: 1 },
            { group_name: '', tag_name: '老朋友', type: 2 },
          ],
        },
        { userid: support!, createtime: 1_700_000_100, tags: [{ tag_id: 'etB', type: 1 }] },
      ],
    });
    const sync = (r: RemoteCustomer, complete = true) =>
      withTx(wecomSyncContext(db().db, corp.ctx.corpId), (ctx: TxCtx) => applyRemoteCustomer(ctx, r, { complete }));
    const marksOf = async () =>
      (await db().db.select().from(marks).where(eq(marks.corpId, corp.ctx.corpId)))
        .map((m) => `${m.userid}:${m.tagId.startsWith('pt') ? 'personal' : m.tagId}:${m.source}`)
        .sort();
    const lastSeq = async () =>
      (await db().db.select({ seq: events.seq }).from(events).where(eq(events.corpId, corp.ctx.corpId)).orderBy(events.seq)).at(-1)?.seq ?? 0;
    return { ...corp, corpId: corp.ctx.corpId, sales: sales!, support: support!, ext, remote, sync, marksOf, lastSeq };
  }

  it('creates the customer, its follows, marks and personal tags; a second apply changes nothing', async () => {
    const s = await scene();
    const counts = await s.sync(s.remote());
    expect(counts).toMatchObject({ marked: 3, skipped: 0, problems: [] });
    const [c] = await db()
      .db.select()
      .from(customers)
      .where(and(eq(customers.corpId, s.corpId), eq(customers.externalUserid, s.ext)));
    expect(c).toMatchObject({ name: '李四', gender: 2, corpName: '腾讯' });
    const rel = await db().db.select().from(follows).where(eq(follows.corpId, s.corpId));
    expect(rel.find((f) => f.userid === s.sales)).toMatchObject({ remark: '李总', addWay: 1, state: 'expo', addTime: new Date(1_700_000_000_000) });
    expect(await s.marksOf()).toEqual([`${s.sales}:etA:wecom-sync`, `${s.sales}:personal:wecom-sync`, `${s.support}:etB:wecom-sync`].sort());
    const [personal] = await db().db.select().from(personalTags).where(eq(personalTags.corpId, s.corpId));
    expect(personal).toMatchObject({ name: '老朋友', ownerUserid: s.sales });
    const recorded = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.source, 'wecom-sync')));
    expect(recorded.map((e) => e.type)).toEqual(expect.arrayContaining(['customer.created', 'follow.tags_changed', 'personal_tag.created']));
    // No personal data in events: the customer's name and remark are not in any payload.
    expect(JSON.stringify(recorded)).not.toMatch(/李四|李总/);

    const seq = await s.lastSeq();
    expect(await s.sync(s.remote())).toMatchObject({ created: 0, updated: 0, deleted: 0, marked: 0, unmarked: 0, skipped: 0 });
    expect(await s.lastSeq()).toBe(seq);

    // The audience index sees the marks.
    const api = apiClient(app, s.secret);
    const count = async (tag: string) => (await api.post('/audiences/count', { expression: { tag } })).body.count as number;
    expect(
      await eventually(
        () => count('etA'),
        (n) => n === 1,
      ),
    ).toBe(1);
    expect(
      await eventually(
        () => count('etB'),
        (n) => n === 1,
      ),
    ).toBe(1);
  });

  it('updates fields, remarks and marks; complete removes what WeCom removed, incremental does not', async () => {
    const s = await scene();
    await s.sync(s.remote());
    const changed = s.remote();
    changed.external_contact.name = '李四四';
    changed.follow_user![0]!.remark = '李董';
    changed.follow_user![0]!.tags = [{ tag_id: 'etB', type: 1 }];
    const incremental = await s.sync(changed, false);
    expect(incremental).toMatchObject({ updated: 2, marked: 1, unmarked: 0 });
    expect(await s.marksOf()).toContain(`${s.sales}:etA:wecom-sync`);
    const complete = await s.sync(changed, true);
    expect(complete).toMatchObject({ unmarked: 2 }); // etA and the personal tag
    expect(await s.marksOf()).toEqual([`${s.sales}:etB:wecom-sync`, `${s.support}:etB:wecom-sync`].sort());
    const [c] = await db()
      .db.select()
      .from(customers)
      .where(and(eq(customers.corpId, s.corpId), eq(customers.externalUserid, s.ext)));
    expect(c?.name).toBe('李四四');
    const updated = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'customer.updated')));
    expect(updated.map((e) => e.payload)).toEqual([{ externalUserid: s.ext, fields: ['name'] }]);
  });

  it('a follow missing from a complete answer is removed with its marks; the customer and the other follow stay', async () => {
    const s = await scene();
    await s.sync(s.remote());
    const api = apiClient(app, s.secret);
    const count = async (tag: string) => (await api.post('/audiences/count', { expression: { tag } })).body.count as number;
    expect(
      await eventually(
        () => count('etB'),
        (n) => n === 1,
      ),
    ).toBe(1);
    const only = s.remote();
    only.follow_user = only.follow_user!.slice(0, 1);
    expect(await s.sync(only)).toMatchObject({ deleted: 1 });
    const rel = await db().db.select().from(follows).where(eq(follows.corpId, s.corpId));
    expect(rel.map((f) => f.userid)).toEqual([s.sales]);
    expect(await s.marksOf()).not.toContain(`${s.support}:etB:wecom-sync`);
    const [deleted] = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'follow.deleted')));
    expect(deleted).toMatchObject({ source: 'wecom-sync', subjectId: `${s.support}|${s.ext}` });
    expect(
      await eventually(
        () => count('etB'),
        (n) => n === 0,
      ),
    ).toBe(0);
    const follower = async (userid: string) => (await api.post('/audiences/count', { expression: { follower: [userid] } })).body.count as number;
    expect(
      await eventually(
        () => follower(s.support),
        (n) => n === 0,
      ),
    ).toBe(0);
    expect(await follower(s.sales)).toBe(1);
  });

  it('removeRemoteFollow removes one relation once', async () => {
    const s = await scene();
    await s.sync(s.remote());
    const ctx = wecomSyncContext(db().db, s.corpId);
    expect(await withTx(ctx, (tx) => removeRemoteFollow(tx, s.sales, s.ext))).toBe(true);
    const seq = await s.lastSeq();
    expect(await withTx(ctx, (tx) => removeRemoteFollow(tx, s.sales, s.ext))).toBe(false);
    expect(await s.lastSeq()).toBe(seq);
    expect(await s.marksOf()).toEqual([`${s.support}:etB:wecom-sync`]);
    const [c] = await db()
      .db.select()
      .from(customers)
      .where(and(eq(customers.corpId, s.corpId), eq(customers.externalUserid, s.ext)));
    expect(c).toBeDefined();
  });

  it('creates unknown employees, reports unknown tag ids, and accepts batch/get_by_user items', async () => {
    const s = await scene();
    const counts = await s.sync(
      {
        external_contact: { external_userid: s.ext, name: '王五' },
        follow_info: { userid: 'newcomer', createtime: 1_700_000_000, tag_id: ['etA', 'etUnknown'] },
      },
      true,
    );
    expect(counts.problems).toEqual([expect.stringContaining('etUnknown')]);
    expect(counts.skipped).toBe(1);
    const [emp] = await db()
      .db.select()
      .from(employees)
      .where(and(eq(employees.corpId, s.corpId), eq(employees.userid, 'newcomer')));
    expect(emp).toMatchObject({ name: 'newcomer', status: 'active' });
    expect(await s.marksOf()).toEqual(['newcomer:etA:wecom-sync']);
  });

  it('a mark waiting to be pushed wins over WeCom’s answer (keptLocal); once pushed, WeCom’s state wins', async () => {
    const s = await scene();
    await s.sync(s.remote());
    // Locally etB was added to sales' relation and etA removed; the push has not sent it yet.
    await db()
      .db.delete(marks)
      .where(and(eq(marks.corpId, s.corpId), eq(marks.userid, s.sales), eq(marks.tagId, 'etA')));
    await db().db.insert(marks).values({ corpId: s.corpId, externalUserid: s.ext, userid: s.sales, tagId: 'etB', createdBy: 'user:x' });
    await db()
      .db.insert(wecomPushQueue)
      .values({
        corpId: s.corpId,
        itemId: 'm1',
        eventSeq: 1,
        eventType: 'follow.tags_changed',
        op: 'mark_tag',
        orderKey: s.ext,
        payload: { userid: s.sales, external_userid: s.ext, add_tag: ['etB'], remove_tag: ['etA'] },
      });
    const seq = await s.lastSeq();
    const kept = await s.sync(s.remote()); // WeCom still says etA, not etB
    expect(kept).toMatchObject({ keptLocal: 2, marked: 0, unmarked: 0 });
    expect(await s.lastSeq()).toBe(seq);
    expect(await s.marksOf()).toContain(`${s.sales}:etB:manual`);
    expect(await s.marksOf()).not.toContain(`${s.sales}:etA:wecom-sync`);

    await db().db.update(wecomPushQueue).set({ status: 'dead' }).where(eq(wecomPushQueue.corpId, s.corpId));
    const wecomWins = await s.sync(s.remote());
    expect(wecomWins).toMatchObject({ keptLocal: 0, marked: 1, unmarked: 1 });
    expect(await s.marksOf()).toEqual([`${s.sales}:etA:wecom-sync`, `${s.sales}:personal:wecom-sync`, `${s.support}:etB:wecom-sync`].sort());
    const newer = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), gt(events.seq, seq)));
    expect(newer.map((e) => [e.type, e.source])).toEqual([['follow.tags_changed', 'wecom-sync']]);
  });
});
