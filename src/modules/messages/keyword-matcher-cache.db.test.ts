import { expect, it } from 'vitest';
import { withTx } from '../../context.js';
import { describeDb } from '../../test/db.js';
import { buildCorp, buildTagGroup } from '../../test/factories.js';
import { createRule } from '../rules/commands/create-rule.js';
import { deleteRule } from '../rules/commands/delete-rule.js';
import { setRuleEnabled } from '../rules/commands/set-rule-enabled.js';
import { updateRule } from '../rules/commands/update-rule.js';
import { keywordMatcherFor } from './keyword-matcher-cache.js';

const definition = (tagId: string, keywords: string[]) => ({
  trigger: { kind: 'message.keyword' as const, keywords, match: 'any' as const, mode: 'contains' as const },
  conditions: {},
  actions: [{ kind: 'add' as const, tagIds: [tagId] }],
});

describeDb('the per-corp keyword matcher cache', (db) => {
  it('reuses the compiled matcher until the corp’s keyword rules change, then rebuilds it', async () => {
    const { ctx } = await buildCorp(db().db);
    const { tags } = await buildTagGroup(ctx, ['意向']);
    const empty = await keywordMatcherFor(ctx);
    expect(empty.match('预约')).toEqual([]);
    const { ruleId } = await withTx(ctx, (tx) => createRule(tx, { name: '看房', enabled: true, definition: definition(tags[0]!.tagId, ['预约']) }));

    const built = await keywordMatcherFor(ctx);
    expect(built).not.toBe(empty);
    expect(built.match('想预约')).toEqual([{ ruleId, keywords: ['预约'] }]);
    expect(await keywordMatcherFor(ctx)).toBe(built);
    // A rename changes no keyword: the same matcher serves on.
    await withTx(ctx, (tx) => updateRule(tx, { ruleId, name: '看房意向' }));
    expect(await keywordMatcherFor(ctx)).toBe(built);

    await withTx(ctx, (tx) => setRuleEnabled(tx, { ruleId, enabled: false }));
    const paused = await keywordMatcherFor(ctx);
    expect(paused.match('想预约')).toEqual([]);
    await withTx(ctx, (tx) => setRuleEnabled(tx, { ruleId, enabled: true }));
    await withTx(ctx, (tx) => updateRule(tx, { ruleId, definition: definition(tags[0]!.tagId, ['签约']) }));
    const edited = await keywordMatcherFor(ctx);
    expect(edited.match('预约还是签约')).toEqual([{ ruleId, keywords: ['签约'] }]);
    await withTx(ctx, (tx) => deleteRule(tx, ruleId));
    expect((await keywordMatcherFor(ctx)).match('签约')).toEqual([]);
  });

  it('moves a rule’s updated_at on every change, deletion included', async () => {
    const { ctx } = await buildCorp(db().db);
    const { tags } = await buildTagGroup(ctx, ['意向']);
    const created = await withTx(ctx, (tx) => createRule(tx, { name: '看房', enabled: true, definition: definition(tags[0]!.tagId, ['预约']) }));
    const paused = await withTx(ctx, (tx) => setRuleEnabled(tx, { ruleId: created.ruleId, enabled: false }));
    expect(paused.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
    await withTx(ctx, (tx) => deleteRule(tx, created.ruleId));
    const rows = await db().db.query.rules.findMany({ where: (r, { eq }) => eq(r.ruleId, created.ruleId) });
    expect(rows[0]!.deletedAt).not.toBeNull();
    expect(rows[0]!.updatedAt.getTime()).toBe(rows[0]!.deletedAt!.getTime());
  });
});
