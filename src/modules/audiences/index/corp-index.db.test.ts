import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { systemContext, withTx } from '../../../context.js';
import { type Db, queryRows } from '../../../db/client.js';
import { describeDb } from '../../../test/db.js';
import { employeeCtx } from '../../../test/factories.js';
import { buildRegionalCorp } from '../../../test/org-fixture.js';
import { addCustomers } from '../../customers/commands/add-customers.js';
import { bulkMark } from '../../customers/commands/bulk-mark.js';
import { markTags } from '../../customers/commands/mark-tags.js';
import { createPersonalTag } from '../../tags/commands/personal-tags.js';
import { buildCorpIndex, facetBitmap, personalTagBitmap, regionBitmap, tagBitmap, timeRange } from './corp-index.js';
import { indexSnapshot, recordCustomerEventsRaw, sqlTruth } from './test-support.js';

async function seqsOf(db: Db, corpId: string, externalUserids: string[]): Promise<number[]> {
  const rows = await queryRows<{ seq: number }>(
    db,
    sql`select seq::int4 as seq from customers where corp_id = ${corpId} and external_userid = any(${sql.param(externalUserids)}::text[]) order by seq`,
  );
  return rows.map((r) => Number(r.seq));
}

/** The regional corp plus customers that exercise own regions, several followers, add ways, states and times. */
async function buildFixture(db: Db) {
  const corp = await buildRegionalCorp(db);
  const { people } = corp;
  const sys = systemContext(db, corp.corpId);
  const [south, shared] = await withTx(sys, (tx) =>
    addCustomers(tx, [
      {
        name: '华南客户',
        gender: 2,
        province: '广东',
        city: '广州',
        corpName: '广州某某科技',
        attributes: { region: '华南', level: 3, tier: 'gold' },
        createdAt: new Date('2026-01-10T00:00:00Z'),
        follows: [{ userid: people.shStaff, addWay: 1, state: 'qr-spring', addTime: new Date('2026-01-11T00:00:00Z') }],
      },
      {
        name: '两地客户',
        gender: 1,
        province: '江苏',
        city: '南京',
        attributes: { level: '3', vip: null },
        createdAt: new Date('2026-02-01T00:00:00Z'),
        follows: [
          { userid: people.shStaff, addWay: 1, addTime: new Date('2026-02-03T00:00:00Z') },
          { userid: people.bjStaff, addWay: 3, state: 'live-0301', addTime: new Date('2026-02-02T00:00:00Z') },
        ],
      },
    ]),
  );
  const [a, b] = corp.grade.tags.map((t) => t.tagId) as [string, string];
  await markTags(corp.ctx, { userid: people.shStaff, externalUserid: corp.shCustomer, add: [a] });
  // The same tag on both relations of one customer: one bit.
  await markTags(corp.ctx, { userid: people.shStaff, externalUserid: shared!, add: [a] });
  await markTags(corp.ctx, { userid: people.bjStaff, externalUserid: shared!, add: [a, b] });
  const mine = await withTx(employeeCtx(db, corp.corpId, people.shStaff), (tx) => createPersonalTag(tx, { name: '老朋友' }));
  await markTags(employeeCtx(db, corp.corpId, people.shStaff), { userid: people.shStaff, externalUserid: south!, add: [mine.tagId] });
  await withTx(corp.ctx, (tx) =>
    bulkMark(tx, [
      { userid: people.bjStaff, externalUserid: corp.bjCustomer, tagId: b },
      { userid: people.shIntern, externalUserid: corp.internCustomer, tagId: b },
    ]),
  );
  await recordCustomerEventsRaw(db, corp.corpId, [
    { externalUserid: south!, type: 'link.clicked', target: 'p1', at: new Date('2026-03-01T00:00:00Z') },
    { externalUserid: south!, type: 'link.clicked', target: 'p1', at: new Date('2026-03-02T00:00:00Z') },
    { externalUserid: shared!, type: 'link.clicked', at: new Date('2026-03-01T00:00:00Z') },
    { externalUserid: shared!, type: 'live.attended', target: 'L1', at: new Date('2026-03-03T00:00:00Z') },
    { externalUserid: 'wmNobody', type: 'link.clicked', target: 'p1', at: new Date('2026-03-01T00:00:00Z') },
  ]);
  return { ...corp, south: south!, shared: shared!, a, b, personal: mine.tagId };
}

describeDb('audience index build', (db) => {
  it('holds exactly what SQL says: every tag, personal tag, facet value, region and time', async () => {
    const f = await buildFixture(db().db);
    const index = await buildCorpIndex(db().db, f.corpId);
    expect(await indexSnapshot(db().db, index)).toEqual(await sqlTruth(db().db, f.corpId));
    expect(index.stats.customers).toBe(5);
  });

  it('answers tags, attributes, regions and time ranges by customer seq', async () => {
    const f = await buildFixture(db().db);
    const index = await buildCorpIndex(db().db, f.corpId);
    const day = (iso: string) => Date.parse(iso);
    const [sh, bj, intern, south, shared] = await seqsOf(db().db, f.corpId, [f.shCustomer, f.bjCustomer, f.internCustomer, f.south, f.shared]);
    expect(tagBitmap(index, f.a).toArray()).toEqual([sh, shared]);
    expect(tagBitmap(index, f.b).toArray()).toEqual([bj, intern, shared]);
    expect(tagBitmap(index, 'etUnknown').size).toBe(0);
    expect(personalTagBitmap(index, f.personal).toArray()).toEqual([south]);
    // Personal tags never leak into the corp tag bitmaps.
    expect(index.tags.has(f.personal)).toBe(false);
    expect(facetBitmap(index, 'addWay', 1).toArray()).toEqual([south, shared]);
    expect(facetBitmap(index, 'state', 'live-0301').toArray()).toEqual([shared]);
    // A relation without a contact way is indexed too: "state is empty" is a question.
    expect(facetBitmap(index, 'state', '').toArray()).toEqual([sh, bj, intern, shared]);
    expect(facetBitmap(index, 'company', '广州某某科技').toArray()).toEqual([south]);
    expect(index.facets.company.size).toBe(1);
    // Attribute values keyed by their JSON: the number 3 and the string '3' are different values.
    expect(index.attributes.get('level')?.get('3')?.toArray()).toEqual([south]);
    expect(index.attributes.get('level')?.get('"3"')?.toArray()).toEqual([shared]);
    expect(index.attributes.get('vip')?.get('null')?.toArray()).toEqual([shared]);
    expect(index.attributes.get('region')?.get('"华南"')?.toArray()).toEqual([south]);
    // Events of a customer that does not exist are not indexed.
    const p1 = index.eventTargets.get('p1')!;
    expect([...(index.events.get('link.clicked')?.occurrences(undefined, undefined, p1) ?? [])]).toEqual([south, south]);
    expect(index.events.get('link.clicked')?.range().toArray()).toEqual([south, shared]);
    expect(index.events.get('live.attended')?.range(day('2026-03-03T00:00:00Z')).toArray()).toEqual([shared]);
    expect(facetBitmap(index, 'follower', f.people.bjStaff).toArray()).toEqual([bj, shared]);
    expect(facetBitmap(index, 'department', 3).toArray()).toEqual([sh, intern, south, shared]);
    // Departments 3 and 6 inherit 华东 and 华北; the 华南 customer's own region wins over its follower's.
    expect(regionBitmap(index, '华东').toArray()).toEqual([sh, intern, shared]);
    expect(regionBitmap(index, '华北').toArray()).toEqual([bj, shared]);
    expect(regionBitmap(index, '华南').toArray()).toEqual([south]);
    expect(timeRange(index, 'createdAt', day('2026-01-01T00:00:00Z'), day('2026-02-01T00:00:00Z')).toArray()).toEqual([south]);
    expect(timeRange(index, 'createdAt', day('2026-01-01T00:00:00Z'), day('2026-02-01T00:00:00.001Z')).toArray()).toEqual([south, shared]);
    // Every relation's add time counts: the shared customer was added on 02-02 and on 02-03.
    expect(timeRange(index, 'addTime', day('2026-02-02T00:00:00Z'), day('2026-02-03T00:00:00Z')).toArray()).toEqual([shared]);
    expect(timeRange(index, 'addTime', day('2026-02-03T00:00:00Z'), day('2026-02-04T00:00:00Z')).toArray()).toEqual([shared]);
    expect(timeRange(index, 'addTime', day('2026-02-04T00:00:00Z'), day('2026-02-10T00:00:00Z')).toArray()).toEqual([]);
  });

  it('gives the same index whatever the page size and concurrency', async () => {
    const f = await buildFixture(db().db);
    const whole = await indexSnapshot(db().db, await buildCorpIndex(db().db, f.corpId));
    expect(await indexSnapshot(db().db, await buildCorpIndex(db().db, f.corpId, { pageSize: 2, concurrency: 3 }))).toEqual(whole);
    expect(await indexSnapshot(db().db, await buildCorpIndex(db().db, f.corpId, { pageSize: 1, concurrency: 1 }))).toEqual(whole);
  });
});
