import { and, eq } from 'drizzle-orm';
import { afterCommit, type TxCtx } from '../../../context.js';
import { accessTokens, apps } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { randomToken, sha256 } from '../../../ids.js';
import { policyFor } from '../../../policies/index.js';
import { clearAuthCache } from '../../auth/tokens.js';
import { type AppRow, lockApp } from '../apps.repo.js';

/**
 * Replaces an app's secret: the old one stops working (for gettoken and as a Bearer key) and the
 * app's access tokens are deleted, so nothing issued under the old secret survives. This process
 * forgets them as the change commits; other processes within a minute, when their auth cache
 * entries expire.
 */
export async function rotateAppSecret(ctx: TxCtx, input: { appId: string }): Promise<{ app: AppRow; secret: string }> {
  const policy = await policyFor(ctx);
  const app = await lockApp(ctx, input.appId);
  policy.authorize('org.manage');
  const secret = randomToken(43);
  const [row] = await ctx.tx
    .update(apps)
    .set({ secretHash: sha256(secret), rotatedAt: new Date() })
    .where(and(eq(apps.corpId, ctx.corpId), eq(apps.appId, app.appId)))
    .returning();
  const revoked = await ctx.tx
    .delete(accessTokens)
    .where(and(eq(accessTokens.corpId, ctx.corpId), eq(accessTokens.appId, app.appId)))
    .returning({ tokenHash: accessTokens.tokenHash });
  await recordEvent(ctx, { type: 'app.secret_rotated', subjectType: 'app', subjectId: app.appId, payload: { tokensRevoked: revoked.length } });
  // After commit: cleared any earlier, a request in between could cache the old secret again.
  afterCommit(ctx, clearAuthCache);
  return { app: row!, secret };
}
