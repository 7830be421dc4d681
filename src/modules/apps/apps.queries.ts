import { asc, eq } from 'drizzle-orm';
import type { Ctx } from '../../context.js';
import { apps } from '../../db/schema/index.js';
import { policyFor } from '../../policies/index.js';
import type { AppRow } from './apps.repo.js';

/** The corp's apps, oldest first (the customer-contact app leads). Needs `org.manage`: apps hold the keys to the corp. */
export async function listApps(ctx: Ctx): Promise<AppRow[]> {
  (await policyFor(ctx)).authorize('org.manage');
  return ctx.db.select().from(apps).where(eq(apps.corpId, ctx.corpId)).orderBy(asc(apps.createdAt), asc(apps.appId));
}
