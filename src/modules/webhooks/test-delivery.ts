import { and, eq } from 'drizzle-orm';
import { type Ctx, reader } from '../../context.js';
import { customers, type WebhookMapping } from '../../db/schema/index.js';
import type { ErrorDetail } from '../../errors.js';
import { applyMapping, type MappedDelivery, mappingProblems } from './mapping/mapping.js';
import { getWebhookSource } from './webhooks.queries.js';

/** What a sample payload would produce: the fact and fields, or the problems; nothing is recorded. */
export type TestDeliveryResult = {
  ok: boolean;
  problems: ErrorDetail[];
  wouldRecord: (Omit<MappedDelivery, 'externalUserid'> & { externalUserid: string; customerExists: boolean }) | null;
};

/**
 * Runs a sample payload through a source's mapping, or a draft mapping given instead, and shows
 * what a delivery would record, including whether the customer exists. It writes nothing: the
 * console's "test delivery" lets an admin fix a mapping before the CRM sends real ones.
 */
export async function testWebhookDelivery(ctx: Ctx, input: { sourceId: string; payload: unknown; mapping?: WebhookMapping }): Promise<TestDeliveryResult> {
  const source = await getWebhookSource(ctx, input.sourceId);
  const mapping = input.mapping ?? source.mapping;
  const invalid = mappingProblems(mapping, 'body.mapping');
  if (invalid.length > 0) return { ok: false, problems: invalid, wouldRecord: null };
  const result = applyMapping(mapping, input.payload ?? null);
  if ('problems' in result) return { ok: false, problems: result.problems.map((p) => ({ ...p, path: `body.payload${p.path!.slice(1)}` })), wouldRecord: null };
  const [customer] = await reader(ctx)
    .select({ id: customers.externalUserid })
    .from(customers)
    .where(and(eq(customers.corpId, ctx.corpId), eq(customers.externalUserid, result.mapped.externalUserid)));
  const problems: ErrorDetail[] = customer
    ? []
    : [
        {
          path: `body.payload${mapping.externalUserid.slice(1)}`,
          code: 'unmapped_customer',
          message: `no customer "${result.mapped.externalUserid}" in this corp`,
        },
      ];
  return { ok: problems.length === 0, problems, wouldRecord: { ...result.mapped, customerExists: Boolean(customer) } };
}
