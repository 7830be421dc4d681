import type { Expr } from '../../../contracts/audience-expression/ast.js';
import { AppError } from '../../errors.js';
import { issuePath } from '../audiences/expression/validate.js';
import { type AudienceCatalog, references } from '../audiences/service/catalog.js';
import { type ExpressionInput, readExpression } from '../audiences/service/read-expression.js';

/**
 * A smart tag's rule from a request: an audience expression the actor may use, without personal
 * tags (a rule applies corp-wide, nobody's private tags may drive it) and without smart tags (rules
 * feeding rules could flip each other forever).
 */
export function readRule(input: ExpressionInput, catalog: AudienceCatalog, prefix: string): Expr {
  const rule = readExpression(input, catalog, prefix);
  const bad = references(rule).flatMap((r) => {
    const kind = r.kind === 'tag' ? catalog.tags.get(r.id)?.kind : r.kind === 'group' ? catalog.groups.get(r.id)?.kind : undefined;
    if (kind === 'personal') return [{ path: issuePath(r.path, `${prefix}.expression`), message: 'a rule cannot use personal tags' }];
    if (kind === 'smart') return [{ path: issuePath(r.path, `${prefix}.expression`), message: 'a rule cannot use smart tags or groups' }];
    return [];
  });
  if (bad.length > 0) throw new AppError('validation_failed', { message: `The rule ${bad[0]!.message}.`, details: bad });
  return rule;
}
