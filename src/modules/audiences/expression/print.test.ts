import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import { normalize } from './normalize.js';
import { parseExpression } from './parse.js';
import { printExpression } from './print.js';
import { exprArbitrary, resolve, tags } from './test-support.js';

describe('printExpression', () => {
  it.each<[Expr, string]>([
    [{ tag: 'etAJ2GCAAAXtWyujaWJ' }, 'tag:etAJ2GCAAAXtWyujaWJ'],
    [{ tag: 't1' }, 'tag:#t1'],
    [{ tag: 'students' }, 'tag:#students'],
    [{ tag: 'a b' }, 'tag:#"a b"'],
    [{ group: { id: 'etGrpLevel01', has: 'none' } }, 'group:etGrpLevel01:none'],
    [{ addWay: [202, 1, 7, 1] }, 'source in (scan, 7, assigned)'],
    [{ state: ['2026春季展会'] }, 'state:2026春季展会'],
    [{ state: ['春季 展会', 'and', '2026-01-01', '1'] }, 'state in (1, "2026-01-01", and, "春季 展会")'],
    [{ added: { within: { amount: 30, unit: 'd' } } }, 'added:within(30d)'],
    [{ added: { from: '2026-01-01', to: '2026-03-31' } }, 'added:2026-01-01..2026-03-31'],
    [{ added: { to: '2026-03-31T18:00+08:00' } }, 'added:..2026-03-31T18:00+08:00'],
    [{ added: { from: '2026-03-01', to: '2026-03-01' } }, 'added:2026-03-01'],
    [{ gender: [2, 0] }, 'gender in (unknown, female)'],
    [{ company: { op: 'contains', value: '科技' } }, 'company~科技'],
    [{ company: { op: 'eq', value: '' } }, 'company:""'],
    [
      {
        department: [
          { id: 5, subtree: false },
          { id: 3, subtree: true },
        ],
      },
      'dept in (3+, 5)',
    ],
    [{ attr: { name: 'level', type: 'number', op: 'gte', value: 3 } }, 'attr.level>=3'],
    [{ attr: { name: 'level', type: 'number', op: 'lt', value: 1e21 } }, 'attr.level<1e+21'],
    [{ attr: { name: 'code', type: 'string', op: 'eq', value: '007' } }, 'attr.code="007"'],
    [{ attr: { name: 'tier', type: 'enum', op: 'in', values: ['silver', 'gold'] } }, 'attr.tier::enum in (gold, silver)'],
    [{ attr: { name: 'd', type: 'date', op: 'between', from: '2026-01-01', to: '2026-01-31' } }, 'attr.d between 2026-01-01..2026-01-31'],
    [{ attr: { name: '会员 等级', type: 'number', op: 'exists' } }, 'attr."会员 等级"::number exists'],
    [{ attr: { name: 'note', type: 'string', op: 'contains', value: 'say "hi"\n' } }, 'attr.note~"say \\"hi\\"\\n"'],
    [{ event: { type: 'link.clicked', count: { op: 'gte', n: 1 } } }, 'event:link.clicked'],
    [
      { event: { type: 'link.clicked', target: 'p1', count: { op: 'gte', n: 2 }, window: { within: { amount: 7, unit: 'd' } } } },
      'event:link.clicked(target=p1, count>=2, within=7d)',
    ],
    [{ event: { type: 'live.attended', target: '直播 0401', window: { from: '2026-04-01' } } }, 'event:live.attended(target="直播 0401", at=2026-04-01..)'],
    // Canonical: sorted, flattened, grouping spelled out with parentheses.
    [{ any: [{ tag: 'etTagC00001' }, { all: [{ tag: 'etTagB00001' }, { tag: 'etTagA00001' }] }] }, 'tag:etTagC00001 or (tag:etTagA00001 and tag:etTagB00001)'],
    [{ not: { any: [{ tag: 'etTagA00001' }, { city: ['上海'] }] } }, 'not (tag:etTagA00001 or city:上海)'],
    [
      { all: [{ any: [{ tag: 'etTagB00001' }, { tag: 'etTagA00001' }] }, { not: { tag: 'etTagX00001' } }, { region: ['华东'] }] },
      'region:华东 and not tag:etTagX00001 and (tag:etTagA00001 or tag:etTagB00001)',
    ],
  ])('%j → %s', (e, text) => {
    expect(printExpression(e)).toBe(text);
  });

  it('prints names for people when given labels, and they parse back to the same ids', () => {
    const label = (id: string) => tags.filter(([, , i]) => i === id).map(([g, n]) => `${g}/${n}`)[0];
    const e: Expr = { all: [{ tag: 'etLvA0000001' }, { not: { tag: 'etCmp0000001' } }] };
    const text = printExpression(e, { tagLabel: label, groupLabel: () => undefined });
    expect(text).toBe('tag:客户等级/A级 and not tag:投诉/投诉客户');
    expect(parseExpression(text, { resolve })).toEqual(normalize(e));
  });

  it('round-trips: parse(print(e)) deep-equals normalize(e) for every expression', () => {
    fc.assert(
      fc.property(exprArbitrary('wild'), (e) => {
        const text = printExpression(e);
        expect(parseExpression(text)).toEqual(normalize(e));
        expect(printExpression(parseExpression(text))).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });
});
