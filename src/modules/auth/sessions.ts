import { and, eq, gt, lt, ne, or } from 'drizzle-orm';
import type { TxCtx } from '../../context.js';
import type { Db } from '../../db/client.js';
import { employees, sessions } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { sha256 } from '../../ids.js';

/** How long a console session lasts after login (no sliding renewal: log in again after 12 hours). */
export const sessionTtlSeconds = 12 * 3600;

/** The employee a live session belongs to. */
export type SessionIdentity = { corpId: string; userid: string; role: string; tokenHash: string };

/**
 * Resolves a session token (from the cookie) to its employee. Expired sessions and those of
 * employees who have left are refused (401); the role is read fresh, so a role change applies at once.
 */
export async function verifySession(db: Db, token: string): Promise<SessionIdentity> {
  const tokenHash = sha256(token);
  const [row] = await db
    .select({ corpId: sessions.corpId, userid: sessions.userid, role: employees.role })
    .from(sessions)
    .innerJoin(employees, and(eq(employees.corpId, sessions.corpId), eq(employees.userid, sessions.userid)))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, new Date()), eq(employees.status, 'active')));
  if (!row) throw new AppError('unauthorized', { message: 'The session has ended; log in again.' });
  return { ...row, tokenHash };
}

/**
 * Ends an employee's sessions (all, or all but `keepTokenHash`), and drops expired ones on the way.
 * Called when they leave, change their password or have it reset.
 */
export async function endSessionsOf(ctx: TxCtx, userid: string, keepTokenHash?: string): Promise<number> {
  const mine = and(eq(sessions.corpId, ctx.corpId), eq(sessions.userid, userid));
  const doomed = keepTokenHash ? and(mine, or(ne(sessions.tokenHash, keepTokenHash), lt(sessions.expiresAt, new Date()))) : mine;
  const ended = await ctx.tx.delete(sessions).where(doomed).returning({ tokenHash: sessions.tokenHash });
  return ended.length;
}
