import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Expr, expressionSchema } from '../../../../contracts/audience-expression/ast.js';
import { AppError } from '../../../errors.js';
import { exprArbitrary } from './test-support.js';
import { validateExpression } from './validate.js';

function details(input: unknown): { path?: string; message: string }[] {
  try {
    validateExpression(input);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('validation_failed');
    return ((e as AppError).details ?? []).map(({ path, message }) => ({ path, message }));
  }
  throw new Error('expected validateExpression to throw');
}

// Built in a loop: a recursive builder would itself overflow at the hostile depth.
function nest(depth: number): unknown {
  let node: unknown = { tag: 'etA' };
  for (let i = 1; i < depth; i += 1) node = { not: node };
  return node;
}

describe('validateExpression', () => {
  it.each<[string, unknown]>([
    ['a tag', { tag: 'etA' }],
    ['nested groups', { all: [{ any: [{ tag: 'a' }, { tag: 'b' }] }, { not: { group: { id: 'g', has: 'none' } } }] }],
    [
      'every leaf kind',
      {
        all: [
          { addWay: [1, 202] },
          { state: ['展会'] },
          { added: { within: { amount: 30, unit: 'd' } } },
          { added: { to: '2026-03-31' } },
          { province: ['上海'] },
          { city: [''] },
          { region: ['华东'] },
          { gender: [0, 2] },
          { company: { op: 'contains', value: '科技' } },
          { follower: ['zhangsan'] },
          { department: [{ id: 3, subtree: true }] },
          { attr: { name: 'level', type: 'number', op: 'between', from: 1, to: 5 } },
          { event: { type: 'link.clicked', target: 'p1', count: { op: 'gte', n: 2 }, window: { within: { amount: 7, unit: 'd' } } } },
        ],
      },
    ],
    ['depth 12', nest(12)],
    ['200 nodes', { any: Array.from({ length: 199 }, (_, i) => ({ tag: `t${i}` })) }],
    ['1,000 values', { city: Array.from({ length: 1000 }, (_, i) => `c${i}`) }],
    ['200 CJK characters (code points, not bytes)', { tag: '标'.repeat(200) }],
  ])('accepts %s', (_, input) => {
    expect(validateExpression(input)).toEqual(input);
  });

  it.each<[string, unknown, { path?: string; message: string }[]]>([
    ['the example path', { all: [{ tag: 'a' }, { tag: 'b' }, { any: [{ tag: '' }] }] }, [{ path: 'all.2.any.0.tag', message: 'empty' }]],
    ['not an object', 'tag:a', [{ path: undefined, message: 'expected an object with exactly one key: all, any, not, or a condition such as tag' }]],
    [
      'two keys in one node',
      { tag: 'a', city: ['x'] },
      [{ path: undefined, message: 'expected an object with exactly one key: all, any, not, or a condition such as tag' }],
    ],
    ['an unknown condition', { any: [{ tga: 'a' }] }, [{ path: 'any.0.tga', message: expect.stringContaining("unknown condition 'tga'") }]],
    ['an empty all', { all: [] }, [{ path: 'all', message: 'expected a non-empty list of conditions' }]],
    ['depth 13', nest(13), [{ path: 'not.not.not.not.not.not.not.not.not.not.not.not', message: 'nested deeper than 12 levels' }]],
    [
      '201 nodes',
      { any: Array.from({ length: 200 }, (_, i) => ({ tag: `t${i}` })) },
      [{ path: undefined, message: '201 conditions and groups; the limit is 200' }],
    ],
    ['1,001 values', { follower: Array.from({ length: 1001 }, (_, i) => `u${i}`) }, [{ path: 'follower', message: 'more than 1000 values' }]],
    ['an empty list', { province: [] }, [{ path: 'province', message: 'give at least one value' }]],
    ['201 characters', { not: { company: { op: 'eq', value: '科'.repeat(201) } } }, [{ path: 'not.company.value', message: 'longer than 200 characters' }]],
    ['a gender code', { gender: [3] }, [{ path: 'gender.0', message: 'a gender is 0 (unknown), 1 (male) or 2 (female)' }]],
    ['an unknown group mode', { group: { id: 'g', has: 'some' } }, [{ path: 'group.has', message: expect.stringContaining('expected one of') }]],
    ['a stray key', { group: { id: 'g', has: 'any', extra: 1 } }, [{ path: 'group', message: 'Unrecognized key: "extra"' }]],
    ['a bad date', { added: { from: '2026-02-30' } }, [{ path: 'added.from', message: 'expected an ISO date such as 2026-01-31 or 2026-01-31T09:00+08:00' }]],
    ['a reversed range', { added: { from: '2026-03-01', to: '2026-01-01' } }, [{ path: 'added.to', message: 'from is after to' }]],
    ['an empty range', { added: {} }, [{ path: 'added', message: 'give from, to or both' }]],
    ['too many days', { added: { within: { amount: 3651, unit: 'd' } } }, [{ path: 'added.within.amount', message: 'at most 3650 days (87600 hours)' }]],
    ['an event type', { event: { type: 'Clicked' } }, [{ path: 'event.type', message: 'an event type looks like link.clicked (lowercase, dotted)' }]],
    [
      'contains on a number',
      { attr: { name: 'level', type: 'number', op: 'contains', value: 3 } },
      [{ path: 'attr.op', message: 'contains (~) applies to string attributes' }],
    ],
    [
      '> on a string',
      { attr: { name: 'tier', type: 'enum', op: 'gt', value: 'a' } },
      [{ path: 'attr.op', message: 'comparisons (> >= < <= between) apply to number and date attributes' }],
    ],
    [
      'a value of the wrong type',
      { attr: { name: 'level', type: 'number', op: 'in', values: [1, '2'] } },
      [{ path: 'attr.values.1', message: 'a number attribute takes a number' }],
    ],
    [
      'a reversed between',
      { attr: { name: 'd', type: 'date', op: 'between', from: '2026-02-01', to: '2026-01-31' } },
      [{ path: 'attr.to', message: 'from is after to' }],
    ],
  ])('rejects %s', (_, input, expected) => {
    expect(details(input)).toEqual(expected);
  });

  it('reports every problem, not only the first', () => {
    expect(details({ all: [{ tag: '' }, { gender: [9] }, { nope: 1 }] }).map((d) => d.path)).toEqual(['all.0.tag', 'all.1.gender.0', 'all.2.nope']);
  });

  it('does not descend into a hostile, very deep body', () => {
    expect(details(nest(100_000))).toHaveLength(1);
  });

  it('puts a prefix on the paths', () => {
    try {
      validateExpression({ tag: '' }, { prefix: 'body.expression' });
    } catch (e) {
      expect((e as AppError).details?.[0]?.path).toBe('body.expression.tag');
      expect((e as AppError).message).toBe('The audience expression is not valid: body.expression.tag: empty.');
    }
  });

  it('agrees with the structural zod schema on generated expressions', () => {
    fc.assert(
      fc.property(exprArbitrary('wild'), (e: Expr) => {
        expect(validateExpression(e)).toEqual(e);
        expect(expressionSchema.safeParse(e).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
