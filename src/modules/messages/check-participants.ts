import { and, eq, inArray } from 'drizzle-orm';
import type { TxCtx } from '../../context.js';
import { employees } from '../../db/schema/index.js';
import { AppError, type ErrorDetail } from '../../errors.js';

/** Who a message names: the employee and the customer in the conversation. */
export type Participants = { userid: string; externalUserid: string };

/** Refuses the whole batch, naming every line whose employee or customer the corp does not have (or the actor may not reach). */
export async function assertParticipants(ctx: TxCtx, messages: readonly Participants[], customers: ReadonlySet<string>): Promise<void> {
  const userids = [...new Set(messages.map((m) => m.userid))];
  const rows = await ctx.tx
    .select({ userid: employees.userid })
    .from(employees)
    .where(and(eq(employees.corpId, ctx.corpId), inArray(employees.userid, userids)));
  const known = new Set(rows.map((r) => r.userid));
  const bad: ErrorDetail[] = messages.flatMap((m, i) => [
    ...(known.has(m.userid) ? [] : [{ path: `body.messages.${i}.userid`, message: `unknown employee "${m.userid}"` }]),
    ...(customers.has(m.externalUserid) ? [] : [{ path: `body.messages.${i}.externalUserid`, message: `unknown customer "${m.externalUserid}"` }]),
  ]);
  if (bad.length > 0)
    throw new AppError('validation_failed', {
      message: `${bad.length} message field(s) name employees or customers that do not exist.`,
      details: bad.slice(0, 50),
    });
}
