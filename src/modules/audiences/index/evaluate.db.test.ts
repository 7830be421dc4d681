import { beforeAll, describe, expect, it } from 'vitest';
import type { AttrPredicate, Expr } from '../../../../contracts/audience-expression/ast.js';
import { describeDb } from '../../../test/db.js';
import { buildCorp } from '../../../test/factories.js';
import type { EvalContext } from '../context.js';
import { poolGroups, poolTags, testNow } from '../expression/test-support.js';
import { buildCorpIndex, type CorpIndex, tagBitmap } from './corp-index.js';
import { evaluateOnIndex } from './evaluate.js';
import { departmentParentsFromDb } from './facts-from-db.test-support.js';
import { type RandomCorp, seedRandomCorp } from './random-corp.test-support.js';

const [A, B, C, D, E] = poolTags as [string, string, string, string, string];
const at = (iso: string) => new Date(iso);

// Four customers (seqs 1–4). Departments: 1 ← 2 华东 ← 3, 4; 1 ← 5 华北 ← 6. zhangsan is in 3,
// lisi in 6, wangwu in 4; ghost has no employee row. Now is 2026-04-01 00:00 +08:00.
const corp: RandomCorp = {
  regions: [null, '华东', null, null, '华北', null],
  employees: [[3], [6], [4]],
  customers: [
    {
      gender: 2,
      province: '上海',
      city: '上海',
      corpName: '上海科技有限公司',
      attributes: { level: 3, tier: 'gold', birthday: '1990-05-01' },
      orphanTags: [],
      follows: [
        { userid: 'zhangsan', addTime: at('2026-03-20T10:00:00+08:00'), addWay: 1, state: '展会', tags: [A, B] },
        { userid: 'lisi', addTime: at('2025-12-01T09:00:00+08:00'), addWay: 201, state: '', tags: [C] },
      ],
      events: [
        { type: 'link.clicked', target: 'p1', at: at('2026-03-28T10:00:00+08:00') },
        { type: 'link.clicked', target: 'p1', at: at('2026-03-30T10:00:00+08:00') },
        { type: 'link.clicked', target: 'p2', at: at('2026-02-01T10:00:00+08:00') },
      ],
    },
    {
      gender: 1,
      province: '北京',
      city: '北京',
      corpName: '杭州贸易',
      attributes: { level: '3', region: '华南' },
      orphanTags: [],
      follows: [{ userid: 'lisi', addTime: at('2026-01-10T09:00:00+08:00'), addWay: 0, state: '官网', tags: [B] }],
      events: [{ type: 'live.attended', target: '', at: at('2026-03-15T20:00:00+08:00') }],
    },
    { gender: 0, province: '', city: '', corpName: '', attributes: { level: 5, tier: 7, birthday: 'not a date' }, orphanTags: [D], follows: [], events: [] },
    {
      gender: 2,
      province: '杭州',
      city: '杭州',
      corpName: '科技',
      attributes: {},
      orphanTags: [],
      follows: [
        { userid: 'wangwu', addTime: at('2026-03-31T12:00:00+08:00'), addWay: 2, state: '', tags: [E] },
        { userid: 'ghost', addTime: at('2026-02-01T10:00:00+08:00'), addWay: 1, state: '', tags: [] },
      ],
      events: [{ type: 'link.clicked', target: 'p1', at: at('2026-03-31T23:00:00+08:00') }],
    },
  ],
};

describeDb('bitmap evaluator, leaf by leaf', (db) => {
  let index: CorpIndex;
  let ctx: EvalContext;
  const sel = (expr: Expr) => evaluateOnIndex(index, expr, ctx).toArray();
  const attr = (a: AttrPredicate) => sel({ attr: a });

  beforeAll(async () => {
    const { corpId } = await buildCorp(db().db);
    await seedRandomCorp(db().db, corpId, corp);
    ctx = { now: testNow, tagGroups: poolGroups, departmentParents: await departmentParentsFromDb(db().db, corpId) };
    index = await buildCorpIndex(db().db, corpId);
  });

  describe('relations and tags', () => {
    it('tag: any relation, a mark whose relation is gone, a personal tag', () => {
      expect(sel({ tag: A })).toEqual([1]);
      expect(sel({ tag: B })).toEqual([1, 2]);
      expect(sel({ tag: D })).toEqual([3]);
      expect(sel({ tag: E })).toEqual([4]);
      expect(sel({ tag: 'etUnknown01' })).toEqual([]);
    });

    it('group: any / all / none over the live tags, and a group without tags', () => {
      expect(sel({ group: { id: 'etGrpX00001', has: 'any' } })).toEqual([1, 2]);
      expect(sel({ group: { id: 'etGrpX00001', has: 'all' } })).toEqual([1]);
      expect(sel({ group: { id: 'etGrpX00001', has: 'none' } })).toEqual([3, 4]);
      expect(sel({ group: { id: 'etGrpZ00001', has: 'all' } })).toEqual([1, 2, 3, 4]);
      expect(sel({ group: { id: 'etGrpZ00001', has: 'any' } })).toEqual([]);
      expect(sel({ group: { id: 'etGrpZ00001', has: 'none' } })).toEqual([1, 2, 3, 4]);
    });

    it('source, state and follower hold when some relation has them', () => {
      expect(sel({ addWay: [1] })).toEqual([1, 4]);
      expect(sel({ addWay: [201, 999] })).toEqual([1]);
      expect(sel({ state: [''] })).toEqual([1, 4]);
      expect(sel({ state: ['展会', '官网'] })).toEqual([1, 2]);
      expect(sel({ follower: ['lisi'] })).toEqual([1, 2]);
      expect(sel({ follower: ['ghost'] })).toEqual([4]);
    });

    it('added: any relation in the window, relative and absolute', () => {
      expect(sel({ added: { within: { amount: 2, unit: 'd' } } })).toEqual([4]);
      expect(sel({ added: { within: { amount: 30, unit: 'd' } } })).toEqual([1, 4]);
      expect(sel({ added: { from: '2026-01-01', to: '2026-01-31' } })).toEqual([2]);
      expect(sel({ added: { to: '2025-12-31' } })).toEqual([1]);
      expect(sel({ added: { from: '2026-02-01', to: '2026-02-01' } })).toEqual([4]);
    });

    it('department: a follower in the department, or below it with +', () => {
      expect(sel({ department: [{ id: 3, subtree: false }] })).toEqual([1]);
      expect(sel({ department: [{ id: 2, subtree: false }] })).toEqual([]);
      expect(sel({ department: [{ id: 2, subtree: true }] })).toEqual([1, 4]);
      expect(sel({ department: [{ id: 5, subtree: true }] })).toEqual([1, 2]);
      expect(sel({ department: [{ id: 1, subtree: true }] })).toEqual([1, 2, 4]);
    });
  });

  describe('customer fields', () => {
    it('province and city, where "" asks for customers without one', () => {
      expect(sel({ province: ['上海'] })).toEqual([1]);
      expect(sel({ province: [''] })).toEqual([3]);
      expect(sel({ city: ['上海', ''] })).toEqual([1, 3]);
    });

    it('region: the own region, else every region of the followers’ departments', () => {
      expect(sel({ region: ['华东'] })).toEqual([1, 4]);
      expect(sel({ region: ['华北'] })).toEqual([1]); // customer 2 is followed from 华北 but has its own 华南
      expect(sel({ region: ['华南'] })).toEqual([2]);
      expect(sel({ region: [''] })).toEqual([]);
    });

    it('gender and company (equals, contains; "" is the empty name, and every name contains "")', () => {
      expect(sel({ gender: [0] })).toEqual([3]);
      expect(sel({ gender: [1, 2] })).toEqual([1, 2, 4]);
      expect(sel({ company: { op: 'eq', value: '科技' } })).toEqual([4]);
      expect(sel({ company: { op: 'contains', value: '科技' } })).toEqual([1, 4]);
      expect(sel({ company: { op: 'eq', value: '' } })).toEqual([3]);
      expect(sel({ company: { op: 'contains', value: '' } })).toEqual([1, 2, 3, 4]);
    });

    it('attr: typed comparisons skip absent and mistyped values, != included', () => {
      expect(attr({ name: 'level', type: 'number', op: 'gte', value: 3 })).toEqual([1, 3]);
      expect(attr({ name: 'level', type: 'number', op: 'ne', value: 3 })).toEqual([3]);
      expect(sel({ not: { attr: { name: 'level', type: 'number', op: 'eq', value: 3 } } })).toEqual([2, 3, 4]);
      expect(attr({ name: 'level', type: 'number', op: 'between', from: 4, to: 5 })).toEqual([3]);
      expect(attr({ name: 'level', type: 'string', op: 'eq', value: '3' })).toEqual([2]);
      expect(attr({ name: 'tier', type: 'enum', op: 'in', values: ['gold', 'silver'] })).toEqual([1]);
      expect(attr({ name: 'tier', type: 'string', op: 'exists' })).toEqual([1, 3]);
      expect(attr({ name: 'birthday', type: 'date', op: 'lt', value: '2000-01-01' })).toEqual([1]);
      expect(attr({ name: 'birthday', type: 'date', op: 'eq', value: '1990-05-01' })).toEqual([1]);
      expect(attr({ name: 'region', type: 'string', op: 'eq', value: '华南' })).toEqual([2]);
      expect(attr({ name: 'nothing', type: 'string', op: 'exists' })).toEqual([]);
    });
  });

  describe('behaviour events', () => {
    it('counts events of a type, target and window; = 0 and <= n include customers without any', () => {
      expect(sel({ event: { type: 'link.clicked' } })).toEqual([1, 4]);
      expect(sel({ event: { type: 'link.clicked', target: 'p1', count: { op: 'gte', n: 2 } } })).toEqual([1]);
      expect(sel({ event: { type: 'link.clicked', target: 'p2' } })).toEqual([1]);
      expect(sel({ event: { type: 'link.clicked', count: { op: 'eq', n: 0 } } })).toEqual([2, 3]);
      expect(sel({ event: { type: 'link.clicked', count: { op: 'lte', n: 1 } } })).toEqual([2, 3, 4]);
      expect(sel({ event: { type: 'link.clicked', window: { within: { amount: 7, unit: 'd' } } } })).toEqual([1, 4]);
      expect(sel({ event: { type: 'link.clicked', window: { within: { amount: 7, unit: 'd' } }, count: { op: 'eq', n: 1 } } })).toEqual([4]);
      expect(sel({ event: { type: 'link.clicked', window: { from: '2026-02-01', to: '2026-02-01' } } })).toEqual([1]);
      expect(sel({ event: { type: 'live.attended', target: '' } })).toEqual([2]);
    });

    it('an unknown type or target: nobody has one, so everybody has zero', () => {
      expect(sel({ event: { type: 'moment.liked' } })).toEqual([]);
      expect(sel({ event: { type: 'moment.liked', count: { op: 'eq', n: 0 } } })).toEqual([1, 2, 3, 4]);
      expect(sel({ event: { type: 'link.clicked', target: 'p9', count: { op: 'lte', n: 0 } } })).toEqual([1, 2, 3, 4]);
      expect(sel({ event: { type: 'link.clicked', count: { op: 'gte', n: 0 } } })).toEqual([1, 2, 3, 4]);
    });
  });

  describe('combinators', () => {
    it('not is relative to the corp’s customers; all and any combine', () => {
      expect(sel({ not: { tag: A } })).toEqual([2, 3, 4]);
      expect(sel({ all: [{ tag: B }, { not: { follower: ['lisi'] } }] })).toEqual([]);
      expect(sel({ all: [{ not: { tag: A } }, { not: { tag: B } }] })).toEqual([3, 4]);
      expect(sel({ all: [{ gender: [2] }, { any: [{ tag: E }, { city: ['上海'] }] }] })).toEqual([1, 4]);
      expect(sel({ any: [{ tag: D }, { not: { not: { tag: A } } }] })).toEqual([1, 3]);
    });

    it('hands back a bitmap of its own: changing it leaves the index alone', () => {
      const result = evaluateOnIndex(index, { tag: B }, ctx);
      result.add(4);
      expect(tagBitmap(index, B).toArray()).toEqual([1, 2]);
      const all = evaluateOnIndex(index, { all: [{ tag: B }] }, ctx);
      all.clear();
      expect(tagBitmap(index, B).toArray()).toEqual([1, 2]);
    });
  });
});
