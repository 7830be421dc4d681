import { and, eq } from 'drizzle-orm';
import { afterCommit, type TxCtx } from '../../../context.js';
import { apps } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { checkOptionalName } from '../../../names/check-name.js';
import { namedThings } from '../../../names/named-things.js';
import { policyFor } from '../../../policies/index.js';
import { clearAuthCache } from '../../auth/tokens.js';
import { lockOrg } from '../../org/org.repo.js';
import { type AppRow, appSnapshot, lockApp, requireRange } from '../apps.repo.js';

/** What to change on an app. */
export type UpdateAppInput = { appId: string; name?: string; range?: { departments: number[]; userids: string[] } };

/**
 * Renames an app or changes its range. The customer-contact app reaches the whole corp, as in
 * WeCom, and cannot be given a range. A new range applies at once, in every process: policies
 * read ranges from the org snapshot, whose version this change bumps.
 */
export async function updateApp(ctx: TxCtx, input: UpdateAppInput): Promise<AppRow> {
  const policy = await policyFor(ctx);
  await lockOrg(ctx);
  const before = await lockApp(ctx, input.appId);
  policy.authorize('org.manage');
  const name = checkOptionalName(input.name, { ...namedThings.app, path: 'body.name' });
  if (input.range && before.kind === 'customer_contact') {
    throw new AppError('validation_failed', {
      message: 'The customer-contact app reaches the whole corp; it cannot be given a range.',
      details: [{ path: 'body.range', message: 'not for the customer-contact app' }],
    });
  }
  const range = input.range ? { departments: [...new Set(input.range.departments)], userids: [...new Set(input.range.userids)] } : undefined;
  if (range) await requireRange(ctx, range);
  const [after] = await ctx.tx
    .update(apps)
    .set({ name: name ?? before.name, rangeDepartments: range?.departments ?? before.rangeDepartments, rangeUserids: range?.userids ?? before.rangeUserids })
    .where(and(eq(apps.corpId, ctx.corpId), eq(apps.appId, before.appId)))
    .returning();
  await recordEvent(ctx, { type: 'app.updated', subjectType: 'app', subjectId: before.appId, before: appSnapshot(before), after: appSnapshot(after!) });
  // Policies read ranges from the org snapshot (this change bumps its version), so the new range
  // applies at once in every process; cached keys still carry the old one for the actor's record.
  if (range) afterCommit(ctx, clearAuthCache);
  return after!;
}
