import { sql } from 'drizzle-orm';
import { type Ctx, reader } from '../../context.js';
import { queryRows } from '../../db/client.js';

/**
 * The names of the given employees in one query, for pages that show people (followers, who did
 * what). A userid without a row is absent from the map: the caller shows the id itself.
 */
export async function employeeNames(ctx: Ctx, userids: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...new Set(userids)];
  if (wanted.length === 0) return new Map();
  const rows = await queryRows<{ userid: string; name: string }>(
    reader(ctx),
    sql`
    select userid, name from employees where corp_id = ${ctx.corpId} and userid = any(${sql.param(wanted)}::text[])`,
  );
  return new Map(rows.map((r) => [r.userid, r.name]));
}

const userPrefix = 'user:';

/**
 * The employee name behind each `user:ID` actor label among `labels` (apps and the system have
 * none), keyed by the label, so the audit log and operations show 张三 rather than `user:zhangsan`.
 */
export async function actorNames(ctx: Ctx, labels: Iterable<string>): Promise<Map<string, string>> {
  const userids = [...labels].filter((l) => l.startsWith(userPrefix)).map((l) => l.slice(userPrefix.length));
  const names = await employeeNames(ctx, userids);
  return new Map([...names].map(([userid, name]) => [`${userPrefix}${userid}`, name]));
}
