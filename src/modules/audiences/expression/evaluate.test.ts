import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { customerFacts } from './facts.js';
import { parseExpression } from './parse.js';
import { exprArbitrary, factsArbitrary, resolve, testNow, wang } from './test-support.js';

const holds = (text: string, facts = wang) => evaluate(parseExpression(text, { resolve }), facts);

describe('evaluate: has tag means any relation carries it (the peers’ bugs)', () => {
  it.each<[string, boolean]>([
    // OpenSCRM tests both tags on one join row, so AND across two relations never matches.
    ['tag:购房意向 and tag:看房', true],
    // …and excludes on the row, so lisi's 投诉客户 leaks through zhangsan's clean relation.
    ['tag:购房意向 and not tag:投诉客户', false],
    ['not tag:投诉客户', false],
    ['(tag:购房意向 or tag:看房) and region:华东 and not tag:投诉客户 and added:within(30d)', false],
    ['tag:购房意向 or tag:#etNone000001', true],
    ['tag:#etNone000001', false],
    ['not tag:#etNone000001', true],
    ['group:#etGrpIntent1:all', true],
    ['group:#etGrpLevel01:all', false],
    ['group:#etGrpLevel01:any', true],
    ['group:#etGrpCompl01:none', false],
    ['not group:#etGrpCompl01:any', false],
    ['group:#etGrpEmpty01:any', false],
    ['group:#etGrpEmpty01:none', true],
    // Vacuous truth, as NOT EXISTS in SQL and an AND over no bitmaps would give.
    ['group:#etGrpEmpty01:all', true],
  ])('%s → %s', (text, expected) => {
    expect(holds(text)).toBe(expected);
  });

  it('matches the same customer once the complaint is gone', () => {
    const { tags: _, ...rest } = wang;
    const calm = customerFacts({ ...rest, follows: wang.follows.map((f) => ({ ...f, tags: f.tags?.filter((id) => id !== 'etCmp0000001') })) });
    expect(holds('(tag:购房意向 or tag:看房) and region:华东 and not tag:投诉客户 and added:within(30d)', calm)).toBe(true);
  });
});

describe('evaluate: relation attributes (each clause on its own: some relation matches)', () => {
  it.each<[string, boolean]>([
    ['source:scan', true],
    ['source:search', false],
    ['source in (search, assigned)', true],
    ['state:"2026春季展会"', true],
    ['state:官网', false],
    ['follower:zhangsan', true],
    ['follower:wangwu', false],
    ['not follower:zhangsan', false],
    // Two relations satisfy the two clauses: clauses do not have to hold on the same relation.
    ['source:scan and follower:lisi', true],
    ['dept:3', true],
    ['dept:2', false],
    ['dept:2+', true],
    ['dept:1+', true],
    ['dept:4+', false],
    ['dept in (4, 5+)', true],
    // Relative windows against now = 2026-04-01 00:00 Shanghai; zhangsan was added 278 h before.
    ['added:within(30d)', true],
    ['added:within(7d)', false],
    ['added:within(278h)', true],
    ['added:within(277h)', false],
    ['added:2026-03-20', true],
    ['added:2026-03-21..', false],
    ['added:..2025-12-01', true],
    ['added:2026-03-20T10:00..2026-03-20T10:00', true],
    ['added:2026-03-20T10:01..', false],
  ])('%s → %s', (text, expected) => {
    expect(holds(text)).toBe(expected);
  });

  it('finds no relation on a customer without any', () => {
    const alone = customerFacts({ now: testNow });
    expect([holds('source:unknown', alone), holds('added:within(3650d)', alone), holds('not follower:zhangsan', alone)]).toEqual([false, false, true]);
  });

  it('reads dates without a zone in the corp zone', () => {
    const late = customerFacts({
      now: testNow,
      follows: [{ userid: 'u', departmentIds: [], addTime: new Date('2026-03-19T23:00:00Z'), addWay: 0, state: '' }],
    });
    expect(holds('added:2026-03-20', late)).toBe(true);
    expect(holds('added:2026-03-20', { ...late, utcOffsetMinutes: 0 })).toBe(false);
  });

  it('asks for the department tree when a subtree is used', () => {
    expect(() => holds('dept:2+', { ...wang, departmentParents: undefined })).toThrow(/departmentParents/);
  });
});

describe('evaluate: customer fields and custom attributes', () => {
  it.each<[string, boolean]>([
    ['province:上海', true],
    ['city in (北京, 杭州)', false],
    ['region:华东', true],
    ['gender:female', true],
    ['gender:male', false],
    ['company~科技', true],
    ['company:科技', false],
    ['company:"上海某某科技有限公司"', true],
    ['attr.level=3', true],
    ['attr.level!=3', false],
    ['attr.level!=4', true],
    ['attr.level>=3', true],
    ['attr.level>3', false],
    ['attr.level between 1..3', true],
    ['attr.level in (1, 2)', false],
    // A comparison needs a value of the attribute's type: absent, null or mistyped match none.
    ['attr.missing!=3', false],
    ['not attr.missing=3', true],
    ['attr.missing exists', false],
    ['attr.empty exists', false],
    ['attr.level exists', true],
    ['attr.score::number>=1', false],
    ['attr.score exists', true],
    ['attr.tier::enum in (gold, silver)', true],
    ['attr.tier=Gold', false],
    ['attr.note~VIP', true],
    ['attr.code="007"', true],
    ['attr.code::number=7', false],
    // A date literal is a whole day: the birthday (1990-05-01) is on it, not after it.
    ['attr.birthday=1990-05-01', true],
    ['attr.birthday>1990-05-01', false],
    ['attr.birthday>1990-04-30', true],
    ['attr.birthday<=1990-05-01', true],
    ['attr.birthday<1990-05-01', false],
    ['attr.birthday between 1990-01-01..1990-12-31', true],
    ['attr.birthday>=1990-05-01T00:00+08:00', true],
    ['attr.birthday>1990-05-01T00:00+08:00', false],
  ])('%s → %s', (text, expected) => {
    expect(holds(text)).toBe(expected);
  });
});

describe('evaluate: behaviour facts', () => {
  it.each<[string, boolean]>([
    ['event:link.clicked', true],
    ['event:link.clicked(target=p1, count>=2, within=7d)', true],
    ['event:link.clicked(target=p1, count>=3)', false],
    ['event:link.clicked(target=p2, within=7d)', false],
    ['event:link.clicked(target=p2)', true],
    ['event:link.clicked(count=3)', true],
    ['event:link.clicked(count<=2)', false],
    ['event:live.attended(target=L1, at=2026-03-01..2026-03-31)', true],
    ['event:live.attended(target=L2)', false],
    ['event:moment.liked', false],
    // Zero counts match customers who never did it, so "did not click in 7 days" is expressible.
    ['event:moment.liked(count=0)', true],
    ['event:link.clicked(count=0, within=1d)', true],
    ['event:link.clicked(count=0, within=2d)', false],
    ['event:message.sent(target=退款, at=2026-03-31)', true],
    ['event:message.sent(within=1h)', true],
    ['event:message.sent(within=59h, target=退货)', false],
  ])('%s → %s', (text, expected) => {
    expect(holds(text)).toBe(expected);
  });
});

describe('evaluate: algebra', () => {
  it('obeys De Morgan, double negation and excluded middle on random customers', () => {
    fc.assert(
      fc.property(exprArbitrary('pool'), exprArbitrary('pool'), factsArbitrary(), (a, b, f) => {
        expect(evaluate({ not: { all: [a, b] } }, f)).toBe(evaluate({ any: [{ not: a }, { not: b }] }, f));
        expect(evaluate({ not: { not: a } }, f)).toBe(evaluate(a, f));
        expect(evaluate({ any: [a, { not: a }] }, f)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
