import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import type { CustomerFacts } from './facts.js';
import { matchLeaf } from './match.js';

/**
 * The reference evaluator: whether one customer is in the audience. It is the executable
 * definition of the language that the bitmap index and the SQL compiler are tested against, so it
 * favours plainness over speed.
 * @example evaluate(parseExpression('tag:#etA and not tag:#etX'), customerFacts({ now, tags: ['etA'] })) // → true
 */
export function evaluate(e: Expr, facts: CustomerFacts): boolean {
  if ('all' in e) return e.all.every((child) => evaluate(child, facts));
  if ('any' in e) return e.any.some((child) => evaluate(child, facts));
  if ('not' in e) return !evaluate(e.not, facts);
  return matchLeaf(e, facts).held;
}
