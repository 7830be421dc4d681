import { and, eq, lt } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { sessions } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { randomToken, sha256 } from '../../../ids.js';
import { sessionTtlSeconds } from '../sessions.js';

/** A new console session: the token for the cookie (shown only here) and when it ends. */
export type StartedSession = { token: string; expiresAt: Date };

/**
 * Opens a console session for the acting employee, whose password has just been checked (the
 * password is the authorization here; no permission is needed to log in). Only the token's
 * SHA-256 is stored, so a database dump holds no usable session.
 */
export async function startSession(ctx: TxCtx): Promise<StartedSession> {
  if (ctx.actor.kind !== 'employee') throw new Error('startSession needs an employee actor: did logIn build the context from the checked employee?');
  const token = randomToken(43);
  const expiresAt = new Date(Date.now() + sessionTtlSeconds * 1000);
  // Expired sessions are useless; drop this employee's while we are here.
  await ctx.tx.delete(sessions).where(and(eq(sessions.corpId, ctx.corpId), eq(sessions.userid, ctx.actor.userid), lt(sessions.expiresAt, new Date())));
  await ctx.tx.insert(sessions).values({ tokenHash: sha256(token), corpId: ctx.corpId, userid: ctx.actor.userid, expiresAt });
  await recordEvent(ctx, { type: 'employee.logged_in', subjectType: 'employee', subjectId: ctx.actor.userid, payload: { expiresAt: expiresAt.toISOString() } });
  return { token, expiresAt };
}
