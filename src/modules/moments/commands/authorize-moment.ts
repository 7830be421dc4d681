import { actorLabel, type Ctx } from '../../../context.js';
import { forbidden, policyFor } from '../../../policies/index.js';
import type { MomentRow } from '../moments.repo.js';

/**
 * Whether the actor may change a post (edit, delete, schedule, cancel): `moment.publish`, and a
 * post of their own unless they reach the whole corp — a regional manager runs their own posts,
 * an admin (or the customer-contact secret) everyone's.
 */
export async function authorizeMomentChange(ctx: Ctx, row: MomentRow): Promise<void> {
  const policy = await policyFor(ctx);
  policy.authorize('moment.publish');
  if (policy.reach !== 'all' && row.author !== actorLabel(ctx.actor))
    throw forbidden(`Only its author or someone who reaches the whole corp may change post "${row.momentId}".`);
}
