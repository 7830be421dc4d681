import type { EvalContext } from '../context.js';
import { testNow } from '../expression/test-support.js';
import { type CorpData, type SeedCustomer, testParents } from './test-support.js';

const t = (iso: string) => new Date(iso);
const customer = (externalUserid: string, c: Partial<SeedCustomer>): SeedCustomer => ({
  externalUserid,
  gender: 0,
  province: '',
  city: '',
  corpName: '',
  attributes: {},
  follows: [],
  orphanTags: [],
  events: [],
  ...c,
});
const rel = (userid: string, addTime: string, tags: string[] = [], addWay = 0, state = '') => ({ userid, addTime: t(addTime), addWay, state, tags });

/** The table-driven tests' tags: X = {A, B}, Y = {C, D} where D is live but on nobody, Z has no tags. */
export const T = { A: 'etTagA00001', B: 'etTagB00001', C: 'etTagC00001', D: 'etTagD00001', E: 'etTagE00001', mine: 'ptMine00001' };

/** Their context: testNow (2026-04-01 00:00 +08:00), the test tree, groups X and Y. */
export const fixtureCtx: EvalContext = {
  now: testNow,
  tagGroups: new Map([
    [T.A, 'etGrpX00001'],
    [T.B, 'etGrpX00001'],
    [T.C, 'etGrpY00001'],
    [T.D, 'etGrpY00001'],
  ]),
  departmentParents: testParents,
};

/**
 * Five customers (seq 1–5) over the test tree, where 2 华东 and 5 华北 carry regions, 3 has an
 * empty one (inherits 华东) and 4, 6 none. zhangsan is in 3, lisi in 6, wangwu in 4 and 5; ghost
 * has no employee row.
 * 1: zhangsan (A; scan, 展会, 03-20) and lisi (C, B; 202), no own region → 华东 and 华北; events.
 * 2: own region 华南, zhangsan (B). 3: no relations, an orphan mark A. 4: zhangsan (personal tag),
 * ghost (E). 5: wangwu, added exactly 30 days before now; three message.sent events; born on the
 * first instant after 2026-03-05.
 */
export const fixture: CorpData = {
  departments: [
    { deptId: 1, parentId: 0, region: null },
    { deptId: 2, parentId: 1, region: '华东' },
    { deptId: 3, parentId: 2, region: '' },
    { deptId: 4, parentId: 2, region: null },
    { deptId: 5, parentId: 1, region: '华北' },
    { deptId: 6, parentId: 5, region: null },
    { deptId: 8, parentId: 9, region: null },
    { deptId: 9, parentId: 8, region: null },
  ],
  employees: [
    { userid: 'zhangsan', departmentIds: [3] },
    { userid: 'lisi', departmentIds: [6] },
    { userid: 'wangwu', departmentIds: [4, 5] },
  ],
  customers: [
    customer('wm1', {
      gender: 2,
      province: '上海',
      city: '上海',
      corpName: '上海某某科技有限公司',
      attributes: { level: 3, tier: 'gold', birthday: '1990-05-01', note: '100%_off' },
      follows: [rel('zhangsan', '2026-03-20T10:00:00+08:00', [T.A], 1, '展会'), rel('lisi', '2025-12-01T09:00:00+08:00', [T.C, T.B], 202)],
      events: [
        { type: 'link.clicked', target: 'p1', at: t('2026-03-28T10:00:00+08:00') },
        { type: 'link.clicked', target: 'p1', at: t('2026-03-30T10:00:00+08:00') },
        { type: 'link.clicked', target: 'p2', at: t('2026-02-01T10:00:00+08:00') },
      ],
    }),
    customer('wm2', {
      gender: 1,
      province: '广东',
      city: '广州',
      attributes: { level: '3', birthday: '2026-02-30', region: '华南' },
      follows: [rel('zhangsan', '2026-01-10T00:00:00Z', [T.B])],
    }),
    customer('wm3', { province: '上海', city: '杭州', attributes: { level: null, birthday: '2026-03-05T10:00:00.5Z' }, orphanTags: [T.A] }),
    customer('wm4', {
      gender: 1,
      corpName: '100%科技',
      follows: [rel('zhangsan', '2026-03-01T23:59:59.999+08:00', [T.mine]), rel('ghost', '2026-01-10T00:00:00Z', [T.E])],
    }),
    customer('wm5', {
      attributes: { level: 5.5, birthday: '2026-03-06' },
      follows: [rel('wangwu', '2026-03-02T00:00:00+08:00')],
      events: [
        { type: 'message.sent', target: '', at: t('2026-03-25T00:00:00+08:00') },
        { type: 'message.sent', target: '', at: t('2026-03-26T12:00:00+08:00') },
        { type: 'message.sent', target: '', at: t('2026-03-31T23:59:59.999+08:00') },
      ],
    }),
  ],
};
