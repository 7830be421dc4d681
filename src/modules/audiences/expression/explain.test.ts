import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { explain, formatExplanation } from './explain.js';
import { parseExpression } from './parse.js';
import { exprArbitrary, factsArbitrary, resolve, tags, wang } from './test-support.js';

const tagLabel = (id: string) => tags.filter(([, , i]) => i === id).map(([, n]) => n)[0];

describe('explain', () => {
  it('shows why 王女士 is out: the complaint tag on lisi’s relation', () => {
    const e = parseExpression('(tag:购房意向 or tag:看房) and region:华东 and not tag:投诉客户 and added:within(30d)', { resolve });
    expect(formatExplanation(explain(e, wang, { tagLabel }))).toBe(
      [
        '✗ all of',
        '  ✓ any of',
        '    ✓ tag:购房意向 — carried by zhangsan',
        '    ✓ tag:看房 — carried by lisi',
        '  ✓ region:华东 — region is "华东"',
        '  ✗ not',
        '    ✓ tag:投诉客户 — carried by lisi',
        '  ✓ added:within(30d) — relation zhangsan (added 2026-03-20 10:00)',
      ].join('\n'),
    );
  });

  it('gives each node its AST path and canonical clause', () => {
    const x = explain(parseExpression('tag:#etA0000001 and not (city:上海 or gender:male)'), wang);
    expect(x).toMatchObject({ path: '', kind: 'all', held: false, clause: 'tag:etA0000001 and not (city:上海 or gender:male)' });
    expect(x.children?.map((c) => [c.path, c.held])).toEqual([
      ['all.0', false],
      ['all.1', false],
    ]);
    expect(x.children?.[1]?.children?.[0]?.children?.map((c) => [c.path, c.clause, c.held])).toEqual([
      ['all.1.not.any.0', 'city:上海', true],
      ['all.1.not.any.1', 'gender:male', false],
    ]);
  });

  it.each<[string, string]>([
    ['group:#etGrpLevel01:all', '✗ group:etGrpLevel01:all — lacks etLvB0000001'],
    ['group:#etGrpCompl01:none', '✗ group:etGrpCompl01:none — has etCmp0000001'],
    ['source:search', '✗ source:search — no relation matches: zhangsan (scan), lisi (assigned)'],
    ['dept:2+', '✓ dept:2+ — relation zhangsan (departments 3)'],
    ['attr.missing!=3', '✗ attr.missing!=3 — missing is not set'],
    ['attr.score::number>=1', '✗ attr.score>=1 — score is "5", not a number'],
    ['event:link.clicked(target=p1, count>=3)', '✗ event:link.clicked(target=p1, count>=3) — 2 matching events; needs ≥ 3'],
    ['company~科技', '✓ company~科技 — company is "上海某某科技有限公司"'],
  ])('explains %s', (text, line) => {
    expect(formatExplanation(explain(parseExpression(text, { resolve }), wang))).toBe(line);
  });

  it('agrees with evaluate on random expressions and customers', () => {
    fc.assert(
      fc.property(exprArbitrary('pool'), factsArbitrary(), (e, f) => {
        expect(explain(e, f).held).toBe(evaluate(e, f));
      }),
      { numRuns: 500 },
    );
  });
});
