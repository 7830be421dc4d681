import type { TxCtx } from '../../context.js';
import { AppError } from '../../errors.js';
import { policyFor } from '../../policies/index.js';
import { appendCustomerFacts, type NewCustomerEvent, recordableCustomers } from './customer-facts.js';

export type { NewCustomerEvent } from './customer-facts.js';

/**
 * Records behaviour facts (a link opened, a live stream attended) that audience expressions count.
 * All or nothing: one unknown or out-of-reach customer refuses the batch, naming every bad line.
 * Repeats of a `dedupKey` already stored are skipped, so a webhook may deliver twice.
 */
export async function recordCustomerEvents(ctx: TxCtx, input: NewCustomerEvent[]): Promise<{ recorded: number; duplicates: number }> {
  const policy = await policyFor(ctx);
  policy.authorize('customerEvent.record');
  const known = await recordableCustomers(
    ctx,
    policy,
    input.map((e) => e.externalUserid),
  );
  const bad = input.flatMap((e, i) =>
    known.has(e.externalUserid) ? [] : [{ path: `body.events.${i}.externalUserid`, message: `unknown customer "${e.externalUserid}"` }],
  );
  if (bad.length > 0)
    throw new AppError('customer_not_found', { message: `${bad.length} event(s) name customers that do not exist.`, details: bad.slice(0, 50) });
  const recorded = await appendCustomerFacts(ctx, input);
  return { recorded, duplicates: input.length - recorded };
}
