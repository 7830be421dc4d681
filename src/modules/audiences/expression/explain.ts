import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import type { CustomerFacts } from './facts.js';
import { matchLeaf } from './match.js';
import { type PrintOptions, printExpression, printLeaf } from './print.js';

/**
 * One node of "why is this customer in / out": the node's path in the AST (as in validation
 * errors, `''` for the root), its text, whether it held, and for a leaf the evidence.
 */
export type Explanation = { path: string; kind: 'all' | 'any' | 'not' | 'leaf'; clause: string; held: boolean; reason?: string; children?: Explanation[] };

const join = (path: string, ...keys: (string | number)[]) => [path, ...keys].filter((k) => k !== '').join('.');

/**
 * Evaluates every clause (no short-circuit, so the whole tree is shown) and marks each held or
 * failed. The root's `held` always equals `evaluate(e, facts)`.
 * @example explain(parseExpression('tag:#etA and not tag:#etX'), facts).children?.map((c) => c.held) // → [true, false]
 */
export function explain(e: Expr, facts: CustomerFacts, opts: PrintOptions = {}, path = ''): Explanation {
  const clause = printExpression(e, opts);
  if ('all' in e || 'any' in e) {
    const kind = 'all' in e ? 'all' : 'any';
    const children = ('all' in e ? e.all : e.any).map((child, i) => explain(child, facts, opts, join(path, kind, i)));
    const held = kind === 'all' ? children.every((c) => c.held) : children.some((c) => c.held);
    return { path, kind, clause, held, children };
  }
  if ('not' in e) {
    const child = explain(e.not, facts, opts, join(path, 'not'));
    return { path, kind: 'not', clause, held: !child.held, children: [child] };
  }
  const { held, reason } = matchLeaf(e, facts);
  return { path, kind: 'leaf', clause: printLeaf(e, opts), held, reason };
}

/**
 * An explanation as indented lines with ✓ / ✗, for logs, the CLI and tests.
 * @example formatExplanation(explain(e, facts))
 * // ✗ all of
 * //   ✓ tag:etA0000001 — carried by zhangsan
 * //   ✗ not
 * //     ✓ tag:etX0000001 — carried by lisi
 */
export function formatExplanation(x: Explanation, depth = 0): string {
  const label = x.kind === 'leaf' ? `${x.clause} — ${x.reason ?? ''}` : x.kind === 'not' ? 'not' : `${x.kind} of`;
  const line = `${'  '.repeat(depth)}${x.held ? '✓' : '✗'} ${label}`;
  return [line, ...(x.children ?? []).map((c) => formatExplanation(c, depth + 1))].join('\n');
}
