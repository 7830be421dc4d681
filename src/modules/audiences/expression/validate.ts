import type { z } from 'zod';
import { type Expr, expressionLimits, type LeafKind, leafKinds, leafSchemas } from '../../../../contracts/audience-expression/ast.js';
import { AppError, type ErrorDetail } from '../../../errors.js';

/** A problem found in an expression: where (a path of keys and indexes into the AST) and what. */
export type ExpressionIssue = { path: (string | number)[]; message: string };

const isLeafKind = (k: string): k is LeafKind => (leafKinds as string[]).includes(k);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// A union reports one issue holding every branch's issues; the branch with the fewest is the one
// the author meant, and its issues point at the actual field rather than at the union.
function flatten(issues: readonly z.core.$ZodIssue[], base: (string | number)[]): ExpressionIssue[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const best = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      if (best.length > 0) return flatten(best, path);
    }
    return [{ path, message: issue.message }];
  });
}

/**
 * Checks an untrusted expression without throwing: structure, every leaf's schema, and the limits
 * (depth, node count; list sizes and string lengths live in the leaf schemas). The walk stops
 * descending past the depth limit, so a hostile, deeply nested body cannot exhaust the stack.
 */
export function checkExpression(input: unknown): { expr?: Expr; issues: ExpressionIssue[] } {
  const issues: ExpressionIssue[] = [];
  let nodes = 0;
  const walk = (value: unknown, path: (string | number)[], depth: number): unknown => {
    nodes += 1;
    if (depth > expressionLimits.maxDepth) {
      issues.push({ path, message: `nested deeper than ${expressionLimits.maxDepth} levels` });
      return undefined;
    }
    const keys = isRecord(value) ? Object.keys(value) : [];
    const kind = keys[0];
    if (!isRecord(value) || keys.length !== 1 || kind === undefined) {
      issues.push({ path, message: 'expected an object with exactly one key: all, any, not, or a condition such as tag' });
      return undefined;
    }
    const body = value[kind];
    if (kind === 'all' || kind === 'any') {
      if (!Array.isArray(body) || body.length === 0) {
        issues.push({ path: [...path, kind], message: 'expected a non-empty list of conditions' });
        return undefined;
      }
      return { [kind]: body.map((child, i) => walk(child, [...path, kind, i], depth + 1)) };
    }
    if (kind === 'not') return { not: walk(body, [...path, 'not'], depth + 1) };
    if (!isLeafKind(kind)) {
      issues.push({ path: [...path, kind], message: `unknown condition '${kind}'; expected all, any, not, ${leafKinds.join(', ')}` });
      return undefined;
    }
    // Past the node limit the answer is already no; counting on without parsing keeps a huge
    // body cheap to reject.
    if (nodes > expressionLimits.maxNodes) return undefined;
    const parsed = leafSchemas[kind].safeParse(body);
    if (!parsed.success) issues.push(...flatten(parsed.error.issues, [...path, kind]));
    return { [kind]: parsed.data };
  };
  const expr = walk(input, [], 1) as Expr;
  if (nodes > expressionLimits.maxNodes) issues.unshift({ path: [], message: `${nodes} conditions and groups; the limit is ${expressionLimits.maxNodes}` });
  return issues.length > 0 ? { issues } : { expr, issues };
}

/** Joins an issue path the way error details spell it: `all.2.any.0.tag`. */
export function issuePath(path: readonly (string | number)[], prefix?: string): string | undefined {
  const joined = [prefix, ...path].filter((p) => p !== undefined && p !== '').join('.');
  return joined === '' ? undefined : joined;
}

/**
 * Validates an untrusted expression (a request body, a stored rule) and returns it typed. Every
 * problem becomes one detail whose `path` points into the AST, optionally under `prefix`.
 * @example validateExpression({ all: [{ tag: 'etA' }, { not: { tag: '' } }] })
 * // throws AppError('validation_failed') with details [{ path: 'all.1.not.tag', message: 'empty' }]
 */
export function validateExpression(input: unknown, opts: { prefix?: string } = {}): Expr {
  const { expr, issues } = checkExpression(input);
  if (expr) return expr;
  const details: ErrorDetail[] = issues.slice(0, 50).map((i) => ({ path: issuePath(i.path, opts.prefix), message: i.message }));
  const first = details[0];
  const where = first?.path ? `${first.path}: ` : '';
  throw new AppError('validation_failed', { message: `The audience expression is not valid: ${where}${first?.message ?? 'unknown problem'}.`, details });
}
