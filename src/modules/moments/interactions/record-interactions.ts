import { sql } from 'drizzle-orm';
import type { InteractionKind } from '../../../../contracts/moments.js';
import type { TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { AppError } from '../../../errors.js';
import { policyFor } from '../../../policies/index.js';
import { appendCustomerFacts, recordableCustomers } from '../../customer-events/customer-facts.js';

/** One interaction with a post, as the route hands it over. */
export type NewInteraction = { externalUserid: string; kind: InteractionKind; occurredAt: Date; dedupKey?: string };

/**
 * The key a retried interaction is recognised by. A caller's own key is kept under the post, so
 * the same key on two posts names two interactions; without one, the interaction itself is the
 * key (one customer cannot do the same thing to the same post twice in the same millisecond).
 */
function dedupKeyOf(momentId: string, i: NewInteraction): string {
  return i.dedupKey === undefined ? `moment:${momentId}:${i.externalUserid}:${i.kind}:${i.occurredAt.getTime()}` : `moment:${momentId}:key:${i.dedupKey}`;
}

/**
 * Records what customers did with a post (viewed, liked, commented, clicked, not interested) as the
 * behaviour facts `moment.<kind>` with the post as target, through the writer `/customer-events`
 * uses, so audiences, rules, analytics and suppression all see them. All or nothing: the post must
 * have been scheduled, and every customer must exist within the actor's reach. Retries are skipped.
 */
export async function recordMomentInteractions(
  ctx: TxCtx,
  momentId: string,
  input: readonly NewInteraction[],
): Promise<{ recorded: number; duplicates: number }> {
  const policy = await policyFor(ctx);
  policy.authorize('customerEvent.record');
  const [post] = await queryRows<{ status: string }>(ctx.tx, sql`select status from moments where corp_id = ${ctx.corpId} and moment_id = ${momentId}`);
  if (!post) throw new AppError('not_found', { message: `Post ${momentId} does not exist.`, details: [{ path: 'params.momentId', message: 'no such post' }] });
  if (post.status === 'draft') {
    throw new AppError('conflict', {
      message: `Post ${momentId} is a draft: nobody has seen it, so it has no interactions yet.`,
      details: [{ path: 'params.momentId', message: 'a draft, not scheduled' }],
    });
  }
  const known = await recordableCustomers(
    ctx,
    policy,
    input.map((i) => i.externalUserid),
  );
  const bad = input.flatMap((i, n) =>
    known.has(i.externalUserid) ? [] : [{ path: `body.interactions.${n}.externalUserid`, message: `unknown customer "${i.externalUserid}"` }],
  );
  if (bad.length > 0)
    throw new AppError('customer_not_found', { message: `${bad.length} interaction(s) name customers that do not exist.`, details: bad.slice(0, 50) });
  const recorded = await appendCustomerFacts(
    ctx,
    input.map((i) => ({
      externalUserid: i.externalUserid,
      type: `moment.${i.kind}`,
      target: momentId,
      occurredAt: i.occurredAt,
      dedupKey: dedupKeyOf(momentId, i),
    })),
  );
  return { recorded, duplicates: input.length - recorded };
}
