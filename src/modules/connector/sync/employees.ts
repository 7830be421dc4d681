import { and, asc, eq, inArray } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { departments, employees } from '../../../db/schema/index.js';
import { createEmployee } from '../../org/commands/create-employee.js';
import { attempt } from './attempt.js';
import type { SyncCounts } from './types.js';

/**
 * Makes sure every userid WeCom names is an employee here: an unknown one is created active, named
 * by its userid (WeCom's customer-contact API does not give member names), in the root department,
 * with the staff role. Returns the userids that exist afterwards.
 */
export async function ensureEmployees(ctx: TxCtx, counts: SyncCounts, userids: string[]): Promise<Set<string>> {
  const wanted = [...new Set(userids)];
  if (wanted.length === 0) return new Set();
  const known = await ctx.tx
    .select({ userid: employees.userid })
    .from(employees)
    .where(and(eq(employees.corpId, ctx.corpId), inArray(employees.userid, wanted)));
  const have = new Set(known.map((k) => k.userid));
  const missing = wanted.filter((u) => !have.has(u));
  if (missing.length === 0) return have;
  const [root] = await ctx.tx
    .select({ deptId: departments.deptId })
    .from(departments)
    .where(and(eq(departments.corpId, ctx.corpId), eq(departments.parentId, 0)))
    .orderBy(asc(departments.deptId))
    .limit(1);
  for (const userid of missing) {
    const made = await attempt(ctx, counts, `employee ${userid}`, (c) =>
      createEmployee(c, { userid, name: userid, departmentIds: root ? [root.deptId] : [], role: 'staff' }),
    );
    if (made) have.add(userid), (counts.created += 1);
  }
  return have;
}
