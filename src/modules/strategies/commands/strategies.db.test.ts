import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { withTx } from '../../../context.js';
import { archivedMarks, corps, events, marks, strategies, tagGroups } from '../../../db/schema/index.js';
import { policyFor } from '../../../policies/index.js';
import { describeDb } from '../../../test/db.js';
import { buildCorp, buildCustomer, buildTagGroup, employeeCtx } from '../../../test/factories.js';
import { deleteTags } from '../../tags/commands/delete-tags.js';
import { updateTag } from '../../tags/commands/update-tag.js';
import { getStrategy, listStrategyTagGroups } from '../strategies.queries.js';
import { rangeOf } from '../strategies.repo.js';
import { buildRuleGroupOrg, buildStrategy } from '../test-support.js';
import { addStrategyTags } from './add-strategy-tags.js';
import { createStrategy } from './create-strategy.js';
import { deleteStrategy } from './delete-strategy.js';
import { editStrategy } from './edit-strategy.js';

describeDb('rule-group commands', (db) => {
  async function scene(settings?: Record<string, number>) {
    const corp = await buildCorp(db().db, { settings });
    return { ...corp, org: await buildRuleGroupOrg(corp.ctx) };
  }
  const orgVersion = async (corpId: string) => (await db().db.select({ v: corps.orgVersion }).from(corps).where(eq(corps.corpId, corpId)))[0]!.v;
  const strategyEvents = async (corpId: string) =>
    (await db().db.select().from(events).where(eq(events.corpId, corpId)).orderBy(events.seq)).filter((e) => e.subjectType === 'strategy');

  it('creates a top-level group with its range and full privileges, records strategy.created and moves org_version', async () => {
    const { ctx, corpId, org } = await scene();
    const before = await orgVersion(corpId);
    const created = await buildStrategy(ctx, {
      name: ' 华东销售 ',
      adminList: [org.boss, org.boss],
      privilege: { share_customer: true },
      range: [
        { type: 2, deptId: 2 },
        { type: 1, userid: org.beijing },
        { type: 2, deptId: 2 },
      ],
    });
    expect(created).toMatchObject({ strategyId: 1, parentId: 0, name: '华东销售', adminList: [org.boss] });
    expect(created.privilege).toMatchObject({ view_customer_list: true, share_customer: true, manage_customer_tag: true, export_customer_data: false });
    expect((await rangeOf(ctx, 1)).map((n) => n.type)).toEqual([1, 2]);
    expect(await orgVersion(corpId)).toBeGreaterThan(before);
    const [event] = await strategyEvents(corpId);
    expect(event).toMatchObject({ type: 'strategy.created', subjectId: '1', actor: 'app:customer_contact' });
  });

  it("accepts a child inside its parent's range (department subtrees count) and gives it the parent's privileges", async () => {
    const { ctx, org } = await scene();
    const parent = await buildStrategy(ctx, { adminList: [org.boss], privilege: { send_customer_msg: true }, range: [{ type: 2, deptId: 2 }] });
    const child = await buildStrategy(ctx, {
      parentId: parent.strategyId,
      adminList: [org.boss],
      privilege: { send_customer_msg: false, share_customer: true },
      range: [
        { type: 2, deptId: 3 },
        { type: 1, userid: org.shanghai },
      ],
    });
    expect(child.privilege).toEqual({});
    const got = await getStrategy(ctx, child.strategyId);
    expect(got.privilege).toMatchObject({ send_customer_msg: true, share_customer: false });
  });

  it("refuses a child whose range leaves its parent's, nesting deeper than 5, bad admins and bad ranges, changing nothing", async () => {
    const { ctx, corpId, org } = await scene();
    const top = await buildStrategy(ctx, {
      adminList: [org.boss],
      range: [
        { type: 2, deptId: 2 },
        { type: 1, userid: org.beijing },
      ],
    });
    let parentId = top.strategyId;
    for (let depth = 2; depth <= 5; depth += 1)
      parentId = (await buildStrategy(ctx, { parentId, adminList: [org.boss], range: [{ type: 1, userid: org.shanghai }] })).strategyId;
    const count = async () => (await db().db.select().from(strategies).where(eq(strategies.corpId, corpId))).length;
    const before = await count();
    const attempt = (input: Partial<Parameters<typeof createStrategy>[1]>) =>
      withTx(ctx, (tx) => createStrategy(tx, { parentId: top.strategyId, name: '子组', adminList: [org.boss], range: [], ...input }));
    await expect(attempt({ range: [{ type: 2, deptId: 4 }] })).rejects.toMatchObject({ code: 'validation_failed', details: [{ partyid: 4 }] });
    await expect(attempt({ range: [{ type: 2, deptId: 1 }] })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(attempt({ range: [{ type: 1, userid: org.boss }] })).rejects.toMatchObject({ code: 'validation_failed', details: [{ userid: org.boss }] });
    await expect(attempt({ parentId })).rejects.toMatchObject({ code: 'limit_exceeded', details: [{ path: 'parent_id' }] });
    await expect(attempt({ parentId: 999 })).rejects.toMatchObject({ code: 'strategy_not_found' });
    await expect(attempt({ adminList: [] })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(attempt({ adminList: ['nobody'] })).rejects.toMatchObject({ code: 'employee_not_found' });
    await expect(attempt({ adminList: Array.from({ length: 21 }, (_, i) => `u${i}`) })).rejects.toMatchObject({ code: 'limit_exceeded' });
    await expect(attempt({ parentId: 0, range: [{ type: 2, deptId: 99 }] })).rejects.toMatchObject({ code: 'department_not_found' });
    await expect(attempt({ parentId: 0, range: Array.from({ length: 101 }, () => ({ type: 2 as const, deptId: 1 })) })).rejects.toMatchObject({
      code: 'limit_exceeded',
    });
    await expect(attempt({ parentId: 0, name: '  ' })).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await count()).toBe(before);
  });

  it('edits: non-empty fields overwrite, empty ones keep; ranges add and remove; a child keeps inheriting; a parent cannot drop what a child needs', async () => {
    const { ctx, corpId, org } = await scene();
    const parent = await buildStrategy(ctx, { name: '旧名', adminList: [org.boss], range: [{ type: 2, deptId: 2 }] });
    const child = await buildStrategy(ctx, { parentId: parent.strategyId, adminList: [org.boss], range: [{ type: 1, userid: org.shanghai }] });
    const edited = await withTx(ctx, (tx) =>
      editStrategy(tx, { strategyId: parent.strategyId, name: '', adminList: [], privilege: {}, rangeAdd: [{ type: 2, deptId: 4 }] }),
    );
    expect(edited).toMatchObject({ name: '旧名', adminList: [org.boss], privilege: parent.privilege });
    await withTx(ctx, (tx) =>
      editStrategy(tx, {
        strategyId: parent.strategyId,
        name: '新名',
        adminList: [org.shanghai],
        privilege: { rapid_reply: true },
        rangeDel: [{ type: 2, deptId: 4 }],
      }),
    );
    const got = await getStrategy(ctx, parent.strategyId);
    expect(got.strategy).toMatchObject({ name: '新名', adminList: [org.shanghai] });
    expect(got.privilege).toMatchObject({ rapid_reply: true, share_customer: false });
    await withTx(ctx, (tx) => editStrategy(tx, { strategyId: child.strategyId, privilege: { rapid_reply: false } }));
    expect((await getStrategy(ctx, child.strategyId)).privilege.rapid_reply).toBe(true);

    await expect(withTx(ctx, (tx) => editStrategy(tx, { strategyId: child.strategyId, rangeAdd: [{ type: 1, userid: org.beijing }] }))).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(withTx(ctx, (tx) => editStrategy(tx, { strategyId: parent.strategyId, rangeDel: [{ type: 2, deptId: 2 }] }))).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(withTx(ctx, (tx) => editStrategy(tx, { strategyId: 999 }))).rejects.toMatchObject({ code: 'strategy_not_found' });
    expect((await rangeOf(ctx, parent.strategyId)).length).toBe(1);
    expect((await strategyEvents(corpId)).map((e) => e.type)).toEqual([
      'strategy.created',
      'strategy.created',
      'strategy.updated',
      'strategy.updated',
      'strategy.updated',
    ]);
  });

  it('lets a member inside the range (or an admin) see and apply the rule-group tags, and nobody outside it', async () => {
    const { ctx, corpId, org } = await scene();
    const strategy = await buildStrategy(ctx, { adminList: [org.boss], range: [{ type: 2, deptId: 2 }] });
    const { group } = await withTx(ctx, (tx) => addStrategyTags(tx, { strategyId: strategy.strategyId, groupName: '华东等级', tags: [{ name: 'A' }] }));
    const can = async (userid: string) => {
      const policy = await policyFor(employeeCtx(db().db, corpId, userid));
      return [policy.canSeeGroup(group), policy.canApplyGroup(group)];
    };
    expect(await can(org.shanghai)).toEqual([true, true]);
    expect(await can(org.boss)).toEqual([true, true]);
    expect(await can(org.beijing)).toEqual([false, false]);
    // Widening the range reaches the member at once: the edit moved org_version.
    await withTx(ctx, (tx) => editStrategy(tx, { strategyId: strategy.strategyId, rangeAdd: [{ type: 1, userid: org.beijing }] }));
    expect(await can(org.beijing)).toEqual([true, true]);
  });

  it('keeps strategy tags on top-level groups, merges names within one rule group only, and shares the corp tag quota', async () => {
    const { ctx, org } = await scene({ corpTagsMax: 4 });
    const a = await buildStrategy(ctx, { adminList: [org.boss], range: [{ type: 2, deptId: 1 }] });
    const b = await buildStrategy(ctx, { adminList: [org.boss] });
    const child = await buildStrategy(ctx, { parentId: a.strategyId, adminList: [org.boss] });
    await buildTagGroup(ctx, ['corp'], '等级');
    const first = await withTx(ctx, (tx) => addStrategyTags(tx, { strategyId: a.strategyId, groupName: '等级', tags: [{ name: 'x' }] }));
    const merged = await withTx(ctx, (tx) => addStrategyTags(tx, { strategyId: a.strategyId, groupName: '等级', tags: [{ name: 'y' }] }));
    expect(merged.group.groupId).toBe(first.group.groupId);
    expect(first.group).toMatchObject({ kind: 'strategy', strategyId: a.strategyId });
    await expect(
      withTx(ctx, (tx) => addStrategyTags(tx, { strategyId: b.strategyId, groupId: first.group.groupId, tags: [{ name: 'z' }] })),
    ).rejects.toMatchObject({ code: 'tag_not_found' });
    await expect(withTx(ctx, (tx) => addStrategyTags(tx, { strategyId: child.strategyId, groupName: '子', tags: [{ name: 'z' }] }))).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(
      withTx(ctx, (tx) => addStrategyTags(tx, { strategyId: b.strategyId, groupName: '等级', tags: [{ name: 'p' }, { name: 'q' }] })),
    ).rejects.toMatchObject({ code: 'limit_exceeded' });
    const inB = await withTx(ctx, (tx) => addStrategyTags(tx, { strategyId: b.strategyId, groupName: '等级', tags: [{ name: 'p' }] }));
    expect(inB.group.groupId).not.toBe(first.group.groupId);
    // Each library's commands refuse the other's tags.
    await expect(withTx(ctx, (tx) => updateTag(tx, { tagId: first.tags[0]!.tagId, name: 'n' }))).rejects.toMatchObject({ code: 'tag_not_found' });
    await expect(withTx(ctx, (tx) => deleteTags(tx, { tagIds: [first.tags[0]!.tagId] }))).rejects.toMatchObject({ code: 'tag_not_found' });
    await expect(withTx(ctx, (tx) => deleteTags(tx, { groupIds: [first.group.groupId] }))).rejects.toMatchObject({ code: 'tag_not_found' });
    await withTx(ctx, (tx) => updateTag(tx, { tagId: first.tags[0]!.tagId, name: 'n', kind: 'strategy' }));
    expect((await listStrategyTagGroups(ctx, { strategyId: a.strategyId }))[0]!.tags.map((t) => t.name).sort()).toEqual(['n', 'y']);
  });

  it('deletes a rule group with its tag groups (marks archived), refuses one with children, and never reuses its id', async () => {
    const { ctx, corpId, org } = await scene();
    const top = await buildStrategy(ctx, { adminList: [org.boss], range: [{ type: 1, userid: org.shanghai }] });
    const child = await buildStrategy(ctx, { parentId: top.strategyId, adminList: [org.boss] });
    const { group, tags } = await withTx(ctx, (tx) => addStrategyTags(tx, { strategyId: top.strategyId, groupName: '组', tags: [{ name: 'a' }] }));
    const customer = await buildCustomer(ctx, [org.shanghai]);
    await db().db.insert(marks).values({ corpId, externalUserid: customer, userid: org.shanghai, tagId: tags[0]!.tagId, createdBy: 'test' });

    await expect(withTx(ctx, (tx) => deleteStrategy(tx, { strategyId: top.strategyId }))).rejects.toMatchObject({ code: 'conflict' });
    await withTx(ctx, (tx) => deleteStrategy(tx, { strategyId: child.strategyId }));
    const result = await withTx(ctx, (tx) => deleteStrategy(tx, { strategyId: top.strategyId }));
    expect(result).toMatchObject({ deletedGroupIds: [group.groupId], deletedTagIds: [tags[0]!.tagId], marksRemoved: 1 });
    const [row] = await db()
      .db.select()
      .from(tagGroups)
      .where(and(eq(tagGroups.corpId, corpId), eq(tagGroups.groupId, group.groupId)));
    expect(row!.deletedAt).not.toBeNull();
    expect(await db().db.select().from(archivedMarks).where(eq(archivedMarks.corpId, corpId))).toHaveLength(1);
    expect((await strategyEvents(corpId)).map((e) => e.type)).toEqual(['strategy.created', 'strategy.created', 'strategy.deleted', 'strategy.deleted']);
    await expect(getStrategy(ctx, top.strategyId)).rejects.toMatchObject({ code: 'strategy_not_found' });

    const next = await buildStrategy(ctx, { adminList: [org.boss] });
    expect(next.strategyId).toBe(3);
  });

  it("does not reach another corp's rule groups", async () => {
    const a = await scene();
    const b = await scene();
    const strategy = await buildStrategy(a.ctx, { adminList: [a.org.boss] });
    await expect(withTx(b.ctx, (tx) => editStrategy(tx, { strategyId: strategy.strategyId, name: 'x' }))).rejects.toMatchObject({ code: 'strategy_not_found' });
    await expect(withTx(b.ctx, (tx) => deleteStrategy(tx, { strategyId: strategy.strategyId }))).rejects.toMatchObject({ code: 'strategy_not_found' });
    await expect(buildStrategy(b.ctx, { adminList: [a.org.boss] })).rejects.toMatchObject({ code: 'employee_not_found' });
  });
});
