import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import { parseExpression } from './parse.js';
import { resolve } from './test-support.js';

const parse = (text: string) => parseExpression(text, { resolve });
const [a, b, c] = [{ tag: 'a' }, { tag: 'b' }, { tag: 'c' }];

describe('parseExpression: conditions', () => {
  it.each<[string, Expr]>([
    ['tag:etAJ2GCAAAXtWyujaWJ', { tag: 'etAJ2GCAAAXtWyujaWJ' }],
    ['tag:#t1', { tag: 't1' }],
    ['tag:#"a b"', { tag: 'a b' }],
    ['tag:购房意向', { tag: 'etBuy0000001' }],
    ['tag:"客户等级/A级"', { tag: 'etLvA0000001' }],
    ['tag:客户等级/A级', { tag: 'etLvA0000001' }],
    ['tag:students', { tag: 'etStu0000001' }],
    ['group:etGrpLevel01:any', { group: { id: 'etGrpLevel01', has: 'any' } }],
    ['group:客户等级:ALL', { group: { id: 'etGrpLevel01', has: 'all' } }],
    ['group:#g1:none', { group: { id: 'g1', has: 'none' } }],
    ['source:scan', { addWay: [1] }],
    ['source:1', { addWay: [1] }],
    ['source in (scan, search, 202)', { addWay: [1, 2, 202] }],
    ['addway:Card', { addWay: [3] }],
    ['state:"2026春季展会"', { state: ['2026春季展会'] }],
    ['state:官网', { state: ['官网'] }],
    ['added:within(30d)', { added: { within: { amount: 30, unit: 'd' } } }],
    ['added:within(12H)', { added: { within: { amount: 12, unit: 'h' } } }],
    ['added:2026-01-01..2026-03-31', { added: { from: '2026-01-01', to: '2026-03-31' } }],
    ['added:2026-01-01..', { added: { from: '2026-01-01' } }],
    ['added:..2026-03-31', { added: { to: '2026-03-31' } }],
    ['added:2026-03-01', { added: { from: '2026-03-01', to: '2026-03-01' } }],
    ['added:2026-01-01T09:00+08:00..2026-01-01T18:00Z', { added: { from: '2026-01-01T09:00+08:00', to: '2026-01-01T18:00Z' } }],
    ['province:浙江', { province: ['浙江'] }],
    ['city in (上海, 杭州)', { city: ['上海', '杭州'] }],
    ['region:华东', { region: ['华东'] }],
    ['city:""', { city: [''] }],
    ['gender:female', { gender: [2] }],
    ['gender in (MALE, unknown)', { gender: [1, 0] }],
    ['gender:1', { gender: [1] }],
    ['company:"上海某某 科技有限公司"', { company: { op: 'eq', value: '上海某某 科技有限公司' } }],
    ['company~科技', { company: { op: 'contains', value: '科技' } }],
    ['follower:zhangsan', { follower: ['zhangsan'] }],
    ['follower in (zhangsan, "li si")', { follower: ['zhangsan', 'li si'] }],
    ['dept:3', { department: [{ id: 3, subtree: false }] }],
    ['dept:3+', { department: [{ id: 3, subtree: true }] }],
    [
      'dept in (3+, 5)',
      {
        department: [
          { id: 3, subtree: true },
          { id: 5, subtree: false },
        ],
      },
    ],
    ['department:7', { department: [{ id: 7, subtree: false }] }],
    ['attr.level>=3', { attr: { name: 'level', type: 'number', op: 'gte', value: 3 } }],
    ['attr.level = -1.5', { attr: { name: 'level', type: 'number', op: 'eq', value: -1.5 } }],
    ['attr.level!=3', { attr: { name: 'level', type: 'number', op: 'ne', value: 3 } }],
    ['attr.level<1e3', { attr: { name: 'level', type: 'number', op: 'lt', value: 1000 } }],
    ['attr.level<=2', { attr: { name: 'level', type: 'number', op: 'lte', value: 2 } }],
    ['attr.level>2', { attr: { name: 'level', type: 'number', op: 'gt', value: 2 } }],
    ['attr.level between 1..5', { attr: { name: 'level', type: 'number', op: 'between', from: 1, to: 5 } }],
    ['attr.tier in (gold, silver)', { attr: { name: 'tier', type: 'string', op: 'in', values: ['gold', 'silver'] } }],
    ['attr.tier::enum in (gold, silver)', { attr: { name: 'tier', type: 'enum', op: 'in', values: ['gold', 'silver'] } }],
    ['attr.note~"VIP"', { attr: { name: 'note', type: 'string', op: 'contains', value: 'VIP' } }],
    ['attr.birthday between 2000-01-01..2000-12-31', { attr: { name: 'birthday', type: 'date', op: 'between', from: '2000-01-01', to: '2000-12-31' } }],
    ['attr.birthday>2000-01-01', { attr: { name: 'birthday', type: 'date', op: 'gt', value: '2000-01-01' } }],
    ['attr.code::string=007', { attr: { name: 'code', type: 'string', op: 'eq', value: '007' } }],
    ['attr.code="007"', { attr: { name: 'code', type: 'string', op: 'eq', value: '007' } }],
    ['attr.code in (1, a)', { attr: { name: 'code', type: 'string', op: 'in', values: ['1', 'a'] } }],
    ['attr.signed::date="2026-01-31"', { attr: { name: 'signed', type: 'date', op: 'eq', value: '2026-01-31' } }],
    ['attr.level exists', { attr: { name: 'level', type: 'string', op: 'exists' } }],
    ['attr.level::number EXISTS', { attr: { name: 'level', type: 'number', op: 'exists' } }],
    ['attr."会员 等级"=3', { attr: { name: '会员 等级', type: 'number', op: 'eq', value: 3 } }],
    ['ATTR.Level>2', { attr: { name: 'Level', type: 'number', op: 'gt', value: 2 } }],
    ['event:link.clicked', { event: { type: 'link.clicked' } }],
    [
      'event:link.clicked(target=p1, count>=2, within=7d)',
      { event: { type: 'link.clicked', target: 'p1', count: { op: 'gte', n: 2 }, window: { within: { amount: 7, unit: 'd' } } } },
    ],
    ['event:live.attended(target="直播 0401")', { event: { type: 'live.attended', target: '直播 0401' } }],
    [
      'event:message.sent(target=退款, count=0, at=2026-03-01..2026-03-31)',
      { event: { type: 'message.sent', target: '退款', count: { op: 'eq', n: 0 }, window: { from: '2026-03-01', to: '2026-03-31' } } },
    ],
    [
      'event:moment.liked(count<=3, within=24h)',
      { event: { type: 'moment.liked', count: { op: 'lte', n: 3 }, window: { within: { amount: 24, unit: 'h' } } } },
    ],
    ['EVENT:Link.Clicked', { event: { type: 'link.clicked' } }],
    ['TAG:#a', a],
    // A keyword in a value position is a value.
    ['province:and', { province: ['and'] }],
    ['city in (or, not)', { city: ['or', 'not'] }],
  ])('%s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });
});

describe('parseExpression: precedence (not > and > or) and grouping', () => {
  it.each<[string, Expr]>([
    ['tag:#a or tag:#b and tag:#c', { any: [a, { all: [b, c] }] }],
    ['tag:#a and tag:#b or tag:#c', { any: [{ all: [a, b] }, c] }],
    ['not tag:#a and tag:#b', { all: [{ not: a }, b] }],
    ['not (tag:#a or tag:#b)', { not: { any: [a, b] } }],
    ['tag:#a and tag:#b and tag:#c', { all: [a, b, c] }],
    ['(tag:#a and tag:#b) and tag:#c', { all: [{ all: [a, b] }, c] }],
    ['tag:#a and (tag:#b or tag:#c)', { all: [a, { any: [b, c] }] }],
    ['not not tag:#a', { not: { not: a } }],
    ['!tag:#a && tag:#b || tag:#c', { any: [{ all: [{ not: a }, b] }, c] }],
    ['tag:#a AND tag:#b Or NOT tag:#c', { any: [{ all: [a, b] }, { not: c }] }],
    ['((tag:#a))', a],
    ['tag:#a\n  and\ttag:#b', { all: [a, b] }],
    [
      '(tag:购房意向 or tag:看房) and region:华东 and not tag:投诉客户 and added:within(30d)',
      {
        all: [
          { any: [{ tag: 'etBuy0000001' }, { tag: 'etSee0000001' }] },
          { region: ['华东'] },
          { not: { tag: 'etCmp0000001' } },
          { added: { within: { amount: 30, unit: 'd' } } },
        ],
      },
    ],
  ])('%s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });
});
