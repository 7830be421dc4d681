import { and, eq, gt, isNull } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { type TxCtx, withTx } from '../../../context.js';
import { events, marks, tagGroups, tags, wecomPushQueue } from '../../../db/schema/index.js';
import { describeDb } from '../../../test/db.js';
import { buildCorp, buildCustomer, buildEmployees, buildTagGroup } from '../../../test/factories.js';
import { markTags } from '../../customers/commands/mark-tags.js';
import { idMaps } from '../id-map.js';
import { applyRemoteTagLibrary } from './tag-library.js';
import { type RemoteTagGroup, wecomSyncContext } from './types.js';

describeDb('sync: the tag library from WeCom', (db) => {
  const library = (): RemoteTagGroup[] => [
    {
      group_id: 'etGroupLevel',
      group_name: '客户等级',
      order: 2,
      tag: [
        { id: 'etTagA', name: 'A级', order: 1 },
        { id: 'etTagB', name: 'B级', order: 2 },
      ],
    },
    { group_id: 'etGroupSource', group_name: '来源', order: 1, tag: [{ id: 'etTagAd', name: '广告' }] },
  ];
  const sync = (corpId: string, groups: RemoteTagGroup[], complete = true) =>
    withTx(wecomSyncContext(db().db, corpId), (ctx: TxCtx) => applyRemoteTagLibrary(ctx, groups, { complete }));
  const lastSeq = async (corpId: string) =>
    (await db().db.select({ seq: events.seq }).from(events).where(eq(events.corpId, corpId)).orderBy(events.seq)).at(-1)?.seq ?? 0;
  const liveTags = async (corpId: string) =>
    (
      await db()
        .db.select({ tagId: tags.tagId, name: tags.name, groupId: tags.groupId, order: tags.order })
        .from(tags)
        .where(and(eq(tags.corpId, corpId), isNull(tags.deletedAt)))
    ).sort((a, b) => a.name.localeCompare(b.name));

  it('creates unknown groups and tags under WeCom ids, links them, and a second apply changes nothing', async () => {
    const { ctx } = await buildCorp(db().db);
    const counts = await sync(ctx.corpId, library());
    expect(counts).toMatchObject({ created: 5, updated: 0, deleted: 0, skipped: 0, keptLocal: 0, problems: [] });
    expect((await liveTags(ctx.corpId)).map((t) => [t.tagId, t.name, t.groupId])).toEqual([
      ['etTagA', 'A级', 'etGroupLevel'],
      ['etTagB', 'B级', 'etGroupLevel'],
      ['etTagAd', '广告', 'etGroupSource'],
    ]);
    const map = await withTx(ctx, async (tx) => idMaps(tx.tx, ctx.corpId, 'tag'));
    expect(map.toLocal.get('etTagB')).toBe('etTagB');
    const recorded = await db().db.select().from(events).where(eq(events.corpId, ctx.corpId));
    const sync1 = recorded.filter((e) => e.type.startsWith('tag'));
    expect(sync1.map((e) => e.type).sort()).toEqual(['tag.created', 'tag.created', 'tag.created', 'tag_group.created', 'tag_group.created']);
    expect(sync1.every((e) => e.source === 'wecom-sync' && e.actor === 'system:wecom')).toBe(true);

    const before = await lastSeq(ctx.corpId);
    expect(await sync(ctx.corpId, library())).toMatchObject({ created: 0, updated: 0, deleted: 0, skipped: 0 });
    expect(await lastSeq(ctx.corpId)).toBe(before);
  });

  it('links a same-named local tag instead of duplicating it, and gives a fresh id when WeCom’s is taken', async () => {
    const { ctx } = await buildCorp(db().db);
    const local = await buildTagGroup(ctx, ['A级'], '客户等级');
    const counts = await sync(ctx.corpId, library());
    expect(counts.problems).toEqual([]);
    const all = await liveTags(ctx.corpId);
    expect(all.filter((t) => t.name === 'A级')).toEqual([expect.objectContaining({ tagId: local.tags[0]!.tagId, groupId: local.group.groupId })]);
    const map = await withTx(ctx, async (tx) => idMaps(tx.tx, ctx.corpId, 'tag_group'));
    expect(map.toLocal.get('etGroupLevel')).toBe(local.group.groupId);
  });

  it('renames and reorders mapped tags, deletes what WeCom deleted (with its marks) and leaves local-only tags', async () => {
    const { ctx } = await buildCorp(db().db);
    await sync(ctx.corpId, library());
    const localOnly = await buildTagGroup(ctx, ['本地'], '本地组');
    const [u] = await buildEmployees(ctx, 1);
    const customer = await buildCustomer(ctx, [u!]);
    await withTx(ctx, (tx) => markTags(tx, { userid: u!, externalUserid: customer, add: ['etTagB', 'etTagAd'] }));

    const changed = library();
    changed[0]!.tag = [{ id: 'etTagA', name: 'A级客户', order: 9 }]; // B级 deleted in WeCom
    changed.pop(); // 来源 deleted in WeCom
    const counts = await sync(ctx.corpId, changed);
    expect(counts).toMatchObject({ updated: 1, deleted: 3, problems: [] }); // etTagB, etTagAd, group 来源
    expect((await liveTags(ctx.corpId)).map((t) => [t.tagId, t.name, t.order])).toEqual([
      ['etTagA', 'A级客户', 9],
      [localOnly.tags[0]!.tagId, '本地', 0],
    ]);
    const left = await db().db.select().from(marks).where(eq(marks.corpId, ctx.corpId));
    expect(left).toEqual([]);
    const [source] = await db()
      .db.select()
      .from(tagGroups)
      .where(and(eq(tagGroups.corpId, ctx.corpId), eq(tagGroups.groupId, 'etGroupSource')));
    expect(source?.deletedAt).not.toBeNull();
  });

  it('an incremental (not complete) library deletes nothing', async () => {
    const { ctx } = await buildCorp(db().db);
    await sync(ctx.corpId, library());
    const counts = await sync(ctx.corpId, library().slice(0, 1), false);
    expect(counts.deleted).toBe(0);
    expect((await liveTags(ctx.corpId)).length).toBe(3);
  });

  it('a local change waiting to be pushed wins over WeCom (counted keptLocal)', async () => {
    const { ctx } = await buildCorp(db().db);
    await sync(ctx.corpId, library());
    await db()
      .db.insert(wecomPushQueue)
      .values([
        {
          corpId: ctx.corpId,
          itemId: 'p1',
          eventSeq: 1,
          eventType: 'tag.updated',
          op: 'edit_corp_tag',
          orderKey: 'tags',
          payload: { tagId: 'etTagA', name: 'A级' },
        },
        {
          corpId: ctx.corpId,
          itemId: 'p2',
          eventSeq: 2,
          eventType: 'tag.updated',
          op: 'edit_corp_tag',
          orderKey: 'tags',
          payload: { tagId: 'etTagB' },
          status: 'delivered',
        },
      ]);
    const seq = await lastSeq(ctx.corpId);
    const changed = library();
    changed[0]!.tag = [
      { id: 'etTagA', name: '远端改名', order: 1 },
      { id: 'etTagB', name: 'B级改', order: 2 },
    ];
    const counts = await sync(ctx.corpId, changed);
    expect(counts).toMatchObject({ keptLocal: 1, updated: 1 });
    const names = (await liveTags(ctx.corpId)).map((t) => t.name);
    expect(names).toContain('A级'); // pending local state kept
    expect(names).toContain('B级改'); // delivered row: WeCom wins
    const newer = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, ctx.corpId), gt(events.seq, seq)));
    expect(newer.map((e) => e.subjectId)).toEqual(['etTagB']);
  });

  it('reports a name Tagloom refuses as a problem and applies the rest', async () => {
    const { ctx } = await buildCorp(db().db);
    const groups = library();
    groups[1]!.tag = [{ id: 'etLong', name: '这是一个非常非常非常非常长的标签名字' }];
    const counts = await sync(ctx.corpId, groups);
    expect(counts.skipped).toBe(1);
    expect(counts.problems[0]).toMatch(/etGroupSource.*name_too_long/);
    expect((await liveTags(ctx.corpId)).length).toBe(2);
  });
});
