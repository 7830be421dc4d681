import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import { parseExpression } from '../expression/parse.js';
import { validateExpression } from '../expression/validate.js';
import { type AudienceCatalog, catalogResolver, checkReferences } from './catalog.js';

/** An expression as a request carries it: the JSON AST, or the text syntax. */
export type ExpressionInput = { expression?: unknown; text?: string };

/**
 * The typed, checked expression of a request: the text is parsed with the actor's tag and group
 * names (errors at line and column), the AST validated (errors at their path); either way every
 * tag and group must be one the actor may use.
 */
export function readExpression(input: ExpressionInput, catalog: AudienceCatalog, prefix = 'body'): Expr {
  if (input.text !== undefined) {
    const expr = parseExpression(input.text, { resolve: catalogResolver(catalog), path: `${prefix}.text` });
    checkReferences(expr, catalog, `${prefix}.text`);
    return expr;
  }
  const expr = validateExpression(input.expression, { prefix: `${prefix}.expression` });
  checkReferences(expr, catalog, `${prefix}.expression`);
  return expr;
}
