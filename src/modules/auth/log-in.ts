import { and, eq } from 'drizzle-orm';
import { type Ctx, withTx } from '../../context.js';
import type { Db } from '../../db/client.js';
import { employees } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { type StartedSession, startSession } from './commands/start-session.js';
import { throttledCheck } from './login-throttle.js';
import { verifyPassword } from './passwords.js';

/** A console login attempt: the corp, the employee's userid as username, the password, and the caller's IP. */
export type LoginInput = { corpId: string; username: string; password: string; ip: string; requestId?: string };

/**
 * Checks a console login under the rate limit and opens a session. A wrong corp, an unknown or
 * departed employee, one without a password and a wrong password all get the same 401, after the
 * same scrypt work, so the answer reveals nothing about who exists.
 */
export async function logIn(db: Db, input: LoginInput): Promise<StartedSession & { ctx: Ctx }> {
  let who: { userid: string; role: string } | undefined;
  const ok = await throttledCheck(db, { corpId: input.corpId, username: input.username, ip: input.ip }, async () => {
    const [row] = await db
      .select({ userid: employees.userid, role: employees.role, status: employees.status, passwordHash: employees.passwordHash })
      .from(employees)
      .where(and(eq(employees.corpId, input.corpId), eq(employees.userid, input.username)));
    const matches = await verifyPassword(input.password, row?.status === 'active' ? row.passwordHash : null);
    if (matches && row) who = { userid: row.userid, role: row.role };
    return matches;
  });
  if (!ok || !who) throw new AppError('unauthorized', { message: 'The corp, username or password is wrong.' });
  const ctx: Ctx = { corpId: input.corpId, actor: { kind: 'employee', userid: who.userid, role: who.role }, source: 'console', requestId: input.requestId, db };
  const session = await withTx(ctx, (tx) => startSession(tx));
  return { ...session, ctx };
}
