import { count, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { corps, type WebhookMapping, webhookSources } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { mappingProblems } from '../mapping/mapping.js';
import { newSourceId, newWebhookSecret, type WebhookSourceRow, webhookSourceSnapshot } from '../webhooks.repo.js';

/** How many webhook sources a corp may keep; each CRM or shop needs one, so this is generous. */
export const maxWebhookSourcesPerCorp = 100;

/** A webhook source to create. */
export type CreateWebhookSourceInput = { name: string; mapping: WebhookMapping; enabled?: boolean };

/**
 * Creates a webhook source with a new secret, after checking its mapping (every path parses, the
 * event type is usable). The returned secret is the only time it is shown; it is stored as is
 * because HMAC verification needs it (see the schema).
 */
export async function createWebhookSource(ctx: TxCtx, input: CreateWebhookSourceInput): Promise<{ source: WebhookSourceRow; secret: string }> {
  const policy = await policyFor(ctx);
  // Locking the corp row serializes creations, so two at once cannot both pass the limit.
  await ctx.tx.select({ corpId: corps.corpId }).from(corps).where(eq(corps.corpId, ctx.corpId)).for('update');
  policy.authorize('rule.manage');
  const problems = mappingProblems(input.mapping, 'body.mapping');
  if (problems.length > 0) throw new AppError('validation_failed', { message: 'The mapping is not valid.', details: problems });
  const [existing] = await ctx.tx.select({ n: count() }).from(webhookSources).where(eq(webhookSources.corpId, ctx.corpId));
  if (existing!.n >= maxWebhookSourcesPerCorp)
    throw new AppError('limit_exceeded', {
      message: `A corp keeps at most ${maxWebhookSourcesPerCorp} webhook sources.`,
      details: [{ path: 'body', message: 'too many sources', limit: maxWebhookSourcesPerCorp }],
    });
  const secret = newWebhookSecret();
  const [row] = await ctx.tx
    .insert(webhookSources)
    .values({ corpId: ctx.corpId, sourceId: newSourceId(), name: input.name.trim(), secret, mapping: input.mapping, enabled: input.enabled ?? true })
    .returning();
  await recordEvent(ctx, { type: 'webhook_source.created', subjectType: 'webhook_source', subjectId: row!.sourceId, after: webhookSourceSnapshot(row!) });
  return { source: row!, secret };
}
