import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import { evaluate } from './evaluate.js';
import { canonicalKey, normalize } from './normalize.js';
import { printExpression } from './print.js';
import { exprArbitrary, factsArbitrary } from './test-support.js';

const [a, b, c] = [{ tag: 'a' }, { tag: 'b' }, { tag: 'c' }];

describe('normalize', () => {
  it.each<[string, Expr, Expr]>([
    ['flattens nested all', { all: [a, { all: [b, c] }] }, { all: [a, b, c] }],
    ['flattens nested any', { any: [{ any: [a] }, b] }, { any: [a, b] }],
    ['keeps an any inside an all', { all: [a, { any: [b, c] }] }, { all: [a, { any: [b, c] }] }],
    ['unwraps a single child', { all: [a] }, a],
    ['removes double negation', { not: { not: a } }, a],
    ['keeps one negation of three', { not: { not: { not: a } } }, { not: a }],
    ['removes double negation inside groups', { all: [{ not: { not: b } }, a] }, { all: [a, b] }],
    ['does not push negation inward', { not: { all: [b, a] } }, { not: { all: [a, b] } }],
    ['dedupes identical children', { any: [a, b, a] }, { any: [a, b] }],
    ['dedupes down to one child', { all: [a, { not: { not: a } }] }, a],
    [
      'dedupes regardless of key order',
      { all: [{ group: { has: 'any', id: 'g' } } as Expr, { group: { id: 'g', has: 'any' } }] },
      { group: { id: 'g', has: 'any' } },
    ],
    [
      'sorts siblings: leaves by kind, then not, then groups',
      { all: [{ any: [a, b] }, { not: a }, { event: { type: 'x.y' } }, b, a, { region: ['华东'] }] },
      { all: [a, b, { region: ['华东'] }, { event: { type: 'x.y' } }, { not: a }, { any: [a, b] }] },
    ],
    ['sorts and dedupes list values', { city: ['杭州', '上海', '杭州'] }, { city: ['上海', '杭州'] }],
    ['sorts numeric codes numerically', { addWay: [202, 10, 2, 10] }, { addWay: [2, 10, 202] }],
    [
      'sorts departments by id, then subtree',
      {
        department: [
          { id: 5, subtree: false },
          { id: 3, subtree: true },
          { id: 3, subtree: false },
          { id: 5, subtree: false },
        ],
      },
      {
        department: [
          { id: 3, subtree: false },
          { id: 3, subtree: true },
          { id: 5, subtree: false },
        ],
      },
    ],
    ['drops the default count', { event: { type: 'link.clicked', count: { op: 'gte', n: 1 } } }, { event: { type: 'link.clicked' } }],
    ['keeps another count', { event: { type: 'link.clicked', count: { op: 'gte', n: 2 } } }, { event: { type: 'link.clicked', count: { op: 'gte', n: 2 } } }],
    [
      'sorts attribute values and turns -0 into 0',
      { attr: { name: 'n', type: 'number', op: 'in', values: [3, -0, 1, 3] } },
      { attr: { name: 'n', type: 'number', op: 'in', values: [0, 1, 3] } },
    ],
  ])('%s', (_, input, expected) => {
    expect(normalize(input)).toEqual(expected);
  });

  it('gives equal expressions one canonical text whatever the order of children', () => {
    const x: Expr = { all: [{ any: [b, a] }, { not: c }, { city: ['杭州', '上海'] }] };
    const y: Expr = { all: [{ city: ['上海', '杭州'] }, { not: c }, { any: [a, { any: [b] }] }] };
    expect(canonicalKey(normalize(x))).toBe(canonicalKey(normalize(y)));
    expect(printExpression(x)).toBe(printExpression(y));
  });

  it('is idempotent and keeps the meaning on random expressions and customers', () => {
    fc.assert(
      fc.property(exprArbitrary('pool'), factsArbitrary(), (e, f) => {
        const n = normalize(e);
        expect(normalize(n)).toEqual(n);
        expect(evaluate(n, f)).toBe(evaluate(e, f));
      }),
      { numRuns: 500 },
    );
  });

  it('does not change its input', () => {
    const input: Expr = { all: [{ city: ['b', 'a'] }, { not: { not: a } }] };
    const copy = structuredClone(input);
    normalize(input);
    expect(input).toEqual(copy);
  });
});
