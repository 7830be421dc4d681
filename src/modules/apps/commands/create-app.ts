import type { TxCtx } from '../../../context.js';
import { apps } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { randomToken, sha256 } from '../../../ids.js';
import { checkName } from '../../../names/check-name.js';
import { namedThings } from '../../../names/named-things.js';
import { policyFor } from '../../../policies/index.js';
import { lockOrg } from '../../org/org.repo.js';
import { type AppRow, appSnapshot, requireRange } from '../apps.repo.js';

/** An ordinary app to create, limited to its visible range. */
export type CreateAppInput = { name: string; range: { departments: number[]; userids: string[] } };

/**
 * Creates an ordinary app and its secret. The app reaches only the follow relations of its range's
 * members (departments with their subtrees); only the secret's hash is stored, so the returned
 * secret is the only copy.
 */
export async function createApp(ctx: TxCtx, input: CreateAppInput): Promise<{ app: AppRow; secret: string }> {
  const policy = await policyFor(ctx);
  await lockOrg(ctx);
  policy.authorize('org.manage');
  const name = checkName(input.name, { ...namedThings.app, path: 'body.name' });
  const range = { departments: [...new Set(input.range.departments)], userids: [...new Set(input.range.userids)] };
  await requireRange(ctx, range);
  const secret = randomToken(43);
  const [row] = await ctx.tx
    .insert(apps)
    .values({
      corpId: ctx.corpId,
      appId: `ap${randomToken(14)}`,
      name,
      kind: 'app',
      secretHash: sha256(secret),
      rangeDepartments: range.departments,
      rangeUserids: range.userids,
    })
    .returning();
  await recordEvent(ctx, { type: 'app.created', subjectType: 'app', subjectId: row!.appId, after: appSnapshot(row!) });
  return { app: row!, secret };
}
