import { describe, expect, it } from 'vitest';
import type { ExplanationNode } from '../../../../contracts/audiences.js';
import { explanationRows, reasonParts, withEmployeeNames } from './explanation-rows.js';

const leaf = (path: string, clause: string, held: boolean, reason = ''): ExplanationNode => ({ path, kind: 'leaf', clause, held, reason });

describe('explanationRows', () => {
  it('lists parents before children with their depth, and marks the clauses that decided the answer', () => {
    const tree: ExplanationNode = {
      path: '',
      kind: 'all',
      clause: 'tag:看房 and not region:华东',
      held: false,
      children: [
        leaf('all.0', 'tag:看房', true, 'carried by d1u1'),
        { path: 'all.1', kind: 'not', clause: 'not region:华东', held: false, children: [leaf('all.1.not', 'region:华东', true, 'region is "华东"')] },
      ],
    };
    const rows = explanationRows(tree);
    expect(rows.map((r) => [r.key, r.depth, r.held, r.decisive])).toEqual([
      ['root', 0, false, true],
      ['all.0', 1, true, false],
      ['all.1', 1, false, true],
      ['all.1.not', 2, true, true],
    ]);
    expect(rows[1]!.reason).toBe('carried by d1u1');
  });

  it('in a held OR only the held branches decided it', () => {
    const rows = explanationRows({ path: '', kind: 'any', clause: 'a or b', held: true, children: [leaf('any.0', 'a', false), leaf('any.1', 'b', true)] });
    expect(rows.map((r) => r.decisive)).toEqual([true, false, true]);
  });

  it('a single condition is one decisive row', () => {
    expect(explanationRows(leaf('', 'gender:female', false, 'gender is male'))).toEqual([
      { key: 'root', depth: 0, kind: 'leaf', clause: 'gender:female', held: false, reason: 'gender is male', decisive: true },
    ]);
  });
});

describe('reasonParts', () => {
  it('reads the shapes the server writes so they can be said in the user’s language', () => {
    expect(reasonParts('carried by d1u1, d1u2')).toEqual({ key: 'carriedBy', values: { who: 'd1u1, d1u2' } });
    expect(reasonParts('no relation carries it')).toEqual({ key: 'noCarrier', values: {} });
    expect(reasonParts('no relation matches: d1u1 (added 2026-01-02 10:00)')).toEqual({
      key: 'noRelationMatches',
      values: { list: 'd1u1 (added 2026-01-02 10:00)' },
    });
    expect(reasonParts('relation d1u1 (follows)')).toEqual({ key: 'relation', values: { list: 'd1u1 (follows)' } });
    expect(reasonParts('region is empty')).toEqual({ key: 'fieldEmpty', values: { field: 'region' } });
    expect(reasonParts('region is "华东", "华北"')).toEqual({ key: 'fieldIs', values: { field: 'region', value: '"华东", "华北"' } });
    expect(reasonParts('has none of its 4 tags')).toEqual({ key: 'hasNone', values: { n: '4' } });
    expect(reasonParts('lacks etA, etB')).toEqual({ key: 'lacks', values: { list: 'etA, etB' } });
    expect(reasonParts('1 matching event; needs ≥ 2')).toEqual({ key: 'events', values: { n: '1', op: '≥', needed: '2' } });
    expect(reasonParts('level is not set')).toEqual({ key: 'attrUnset', values: { name: 'level' } });
    expect(reasonParts('member of 3月活动群 since 03-02 10:00')).toEqual({ key: 'chatMember', values: { list: '3月活动群 since 03-02 10:00' } });
    expect(reasonParts('member of 3月活动群 since 03-02 10:00, joined outside the window')).toEqual({
      key: 'chatOutsideWindow',
      values: { list: '3月活动群 since 03-02 10:00' },
    });
    expect(reasonParts('not a member')).toEqual({ key: 'notChatMember', values: {} });
    expect(reasonParts('in no group chat')).toEqual({ key: 'noChat', values: {} });
    expect(reasonParts('level is "x", not a number')).toEqual({ key: 'attrMistyped', values: { name: 'level', value: '"x"', type: 'number' } });
  });

  it('leaves a reason of an unknown shape alone', () => {
    expect(reasonParts('something new')).toBeUndefined();
  });
});

describe('withEmployeeNames', () => {
  it('names the employees a reason lists by userid, and only whole userids', () => {
    const names = new Map([
      ['d6u3', '李超'],
      ['d1u1', '王芳'],
    ]);
    expect(withEmployeeNames('d6u3, d1u1 …(7)', names)).toBe('李超, 王芳 …(7)');
    expect(withEmployeeNames('d6u30 (added 2026-01-02 10:00)', names)).toBe('d6u30 (added 2026-01-02 10:00)');
  });
});
