import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import type { Ctx } from '../../../context.js';
import { AppError } from '../../../errors.js';
import { type Explanation, explain } from '../expression/explain.js';
import { loadCustomerFacts } from '../sql/facts.js';
import { type AudienceCatalog, catalogLabels } from './catalog.js';

/**
 * Why one customer is in or out: the reference evaluator over the customer's facts read from the
 * database, clause by clause. A customer outside the actor's data scope reads as unknown.
 */
export async function explainFor(ctx: Ctx, catalog: AudienceCatalog, expr: Expr, externalUserid: string): Promise<Explanation> {
  const facts = await loadCustomerFacts(ctx.db, ctx.corpId, externalUserid, catalog.eval, { personalOwner: catalog.personalOwner });
  const visible = facts !== undefined && (catalog.policy.reach === 'all' || facts.follows.some((f) => catalog.policy.reaches(f.userid)));
  if (!facts || !visible) throw new AppError('customer_not_found', { message: `No customer "${externalUserid}".` });
  return explain(expr, facts, catalogLabels(catalog));
}
