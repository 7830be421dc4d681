import { and, eq, isNull } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { type TxCtx, withTx } from '../../../context.js';
import { events, strategies, strategyRanges, tagGroups, tags } from '../../../db/schema/index.js';
import { describeDb } from '../../../test/db.js';
import { buildCorp } from '../../../test/factories.js';
import { buildRuleGroupOrg, buildStrategy } from '../../strategies/test-support.js';
import { idMaps } from '../id-map.js';
import { applyRemoteStrategyLibrary, pulledStrategyName } from './strategy-library.js';
import { applyRemoteTagLibrary } from './tag-library.js';
import { type RemoteTagGroup, wecomSyncContext } from './types.js';

describeDb('sync: rule-group (strategy) tags from WeCom', (db) => {
  const library = (): RemoteTagGroup[] => [
    { group_id: 'etRuleGroup', group_name: '规则组标签', strategy_id: 7, order: 1, tag: [{ id: 'stVip', name: 'VIP', order: 1 }] },
  ];
  const sync = (corpId: string, groups: RemoteTagGroup[], complete = true) =>
    withTx(wecomSyncContext(db().db, corpId), (ctx: TxCtx) => applyRemoteStrategyLibrary(ctx, groups, { complete }));
  const maps = (corpId: string) =>
    withTx(wecomSyncContext(db().db, corpId), async (ctx) => ({
      strategy: (await idMaps(ctx.tx, corpId, 'strategy')).toLocal,
      group: (await idMaps(ctx.tx, corpId, 'tag_group')).toLocal,
      tag: (await idMaps(ctx.tx, corpId, 'tag')).toLocal,
    }));
  const eventCount = async (corpId: string) => (await db().db.select({ seq: events.seq }).from(events).where(eq(events.corpId, corpId))).length;
  const liveTag = async (corpId: string, tagId: string) =>
    (
      await db()
        .db.select()
        .from(tags)
        .where(and(eq(tags.corpId, corpId), eq(tags.tagId, tagId), isNull(tags.deletedAt)))
    )[0];

  it('creates the rule group (whole corp), its group and tag under WeCom ids, maps all three; a second apply changes nothing', async () => {
    const { ctx } = await buildCorp(db().db);
    const org = await buildRuleGroupOrg(ctx);
    const counts = await sync(ctx.corpId, library());
    expect(counts).toMatchObject({ created: 3, updated: 0, deleted: 0, skipped: 0, problems: [] });
    const [strategy] = await db().db.select().from(strategies).where(eq(strategies.corpId, ctx.corpId));
    // All staff here: the first active member by userid administers it.
    expect(strategy).toMatchObject({ name: pulledStrategyName(7), parentId: 0, adminList: [[org.boss, org.shanghai, org.beijing].sort()[0]] });
    const range = await db().db.select().from(strategyRanges).where(eq(strategyRanges.corpId, ctx.corpId));
    expect(range.map((r) => [r.type, r.node])).toEqual([[2, '1']]);
    const [group] = await db().db.select().from(tagGroups).where(eq(tagGroups.corpId, ctx.corpId));
    expect(group).toMatchObject({ groupId: 'etRuleGroup', kind: 'strategy', strategyId: strategy!.strategyId, name: '规则组标签' });
    expect(await liveTag(ctx.corpId, 'stVip')).toMatchObject({ name: 'VIP', groupId: 'etRuleGroup' });
    const m = await maps(ctx.corpId);
    expect([m.strategy.get('7'), m.group.get('etRuleGroup'), m.tag.get('stVip')]).toEqual([String(strategy!.strategyId), 'etRuleGroup', 'stVip']);
    const created = await db().db.select().from(events).where(eq(events.corpId, ctx.corpId));
    expect(created.filter((e) => e.source === 'wecom-sync').every((e) => e.actor === 'system:wecom')).toBe(true);

    const before = await eventCount(ctx.corpId);
    expect(await sync(ctx.corpId, library())).toMatchObject({ created: 0, updated: 0, deleted: 0, skipped: 0, problems: [] });
    // The enterprise library's complete sync leaves rule-group tags alone.
    expect(await withTx(wecomSyncContext(db().db, ctx.corpId), (c) => applyRemoteTagLibrary(c, [], { complete: true }))).toMatchObject({ deleted: 0 });
    expect(await eventCount(ctx.corpId)).toBe(before);

    // Renamed, a tag added, then dropped in WeCom: followed here.
    const renamed = library();
    renamed[0]!.tag = [
      { id: 'stVip', name: 'SVIP', order: 1 },
      { id: 'stNew', name: '新客', order: 2 },
    ];
    expect(await sync(ctx.corpId, renamed)).toMatchObject({ created: 1, updated: 1, problems: [] });
    expect(await liveTag(ctx.corpId, 'stVip')).toMatchObject({ name: 'SVIP' });
    expect(await liveTag(ctx.corpId, 'stNew')).toMatchObject({ groupId: 'etRuleGroup' });
    expect(await sync(ctx.corpId, library())).toMatchObject({ deleted: 1, problems: [] });
    expect(await liveTag(ctx.corpId, 'stNew')).toBeUndefined();
    // Not complete (an incremental pull): nothing is deleted.
    expect(await sync(ctx.corpId, [], false)).toMatchObject({ deleted: 0 });
    expect(await liveTag(ctx.corpId, 'stVip')).toBeDefined();
    // A group this server cannot place (no strategy_id) makes the list incomplete: reported, nothing deleted.
    const odd = await sync(ctx.corpId, [{ group_id: 'etOdd', group_name: '怪', tag: [{ id: 'stOdd', name: '怪' }] }]);
    expect(odd).toMatchObject({ deleted: 0, problems: ['tag group etOdd: no usable strategy_id'] });
    expect(await liveTag(ctx.corpId, 'stVip')).toBeDefined();
  });

  it('reuses a local rule group with the pulled name; without any member to administer one, reports it and creates nothing', async () => {
    const { ctx } = await buildCorp(db().db);
    const org = await buildRuleGroupOrg(ctx);
    const mine = await buildStrategy(ctx, { name: pulledStrategyName(7), adminList: [org.shanghai], range: [{ type: 2, deptId: 2 }] });
    expect(await sync(ctx.corpId, library())).toMatchObject({ created: 2, problems: [] });
    const rows = await db().db.select().from(strategies).where(eq(strategies.corpId, ctx.corpId));
    expect(rows.map((r) => r.strategyId)).toEqual([mine.strategyId]);
    expect((await db().db.select().from(tagGroups).where(eq(tagGroups.corpId, ctx.corpId)))[0]?.strategyId).toBe(mine.strategyId);

    const empty = await buildCorp(db().db);
    const before = await eventCount(empty.ctx.corpId);
    const counts = await sync(empty.ctx.corpId, library());
    expect(counts.problems).toEqual(['rule group 7: no member here to be its admin']);
    expect(await eventCount(empty.ctx.corpId)).toBe(before);
    expect(await db().db.select().from(tags).where(eq(tags.corpId, empty.ctx.corpId))).toEqual([]);
  });
});
