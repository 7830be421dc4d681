import { type Ctx, systemContext, withTx } from '../../context.js';
import { unique } from '../../test/factories.js';
import { addDepartments, addEmployees } from '../org/commands/add-org.js';
import { type CreateStrategyInput, createStrategy } from './commands/create-strategy.js';

/**
 * A small org for rule-group tests: 总部 (1) with 华东 (2) › 上海 (3), and 华北 (4); a boss in 总部,
 * one member in 上海 (inside 华东's subtree) and one in 华北. Userids are unique per call.
 */
export async function buildRuleGroupOrg(ctx: Ctx) {
  const ids = { boss: unique('boss'), shanghai: unique('sh'), beijing: unique('bj') };
  await withTx(systemContext(ctx.db, ctx.corpId), async (tx) => {
    await addDepartments(tx, [
      { deptId: 1, name: '总部' },
      { deptId: 2, name: '华东', parentId: 1, region: '华东' },
      { deptId: 3, name: '上海', parentId: 2 },
      { deptId: 4, name: '华北', parentId: 1, region: '华北' },
    ]);
    await addEmployees(tx, [
      { userid: ids.boss, name: '老板', departmentIds: [1] },
      { userid: ids.shanghai, name: '上海员工', departmentIds: [3] },
      { userid: ids.beijing, name: '北京员工', departmentIds: [4] },
    ]);
  });
  return ids;
}

/** Creates a rule group through the real command; top-level with the given admins unless told otherwise. */
export async function buildStrategy(ctx: Ctx, input: Partial<CreateStrategyInput> & { adminList: string[] }) {
  return withTx(ctx, (tx) => createStrategy(tx, { parentId: 0, name: unique('规则组'), range: [], ...input }));
}
