import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../../test/db.js';
import { unique } from '../../../test/factories.js';
import { evaluate } from '../expression/evaluate.js';
import { parseExpression } from '../expression/parse.js';
import { audienceSeqs } from './compile.js';
import { loadCustomerFacts, loadCustomersFacts } from './facts.js';
import { fixtureCtx as ctx, fixture, T } from './test-fixture.js';
import { seedCorp } from './test-support.js';

describeDb("a customer's facts from the database", (db) => {
  const corpId = unique('ww');
  beforeAll(async () => {
    await seedCorp(db().db, corpId, fixture);
  });

  it('reads relations with their tags and departments, the customer row, events and the context', async () => {
    const f = await loadCustomerFacts(db().db, corpId, 'wm1', ctx);
    expect(f).toMatchObject({
      province: '上海',
      city: '上海',
      gender: 2,
      company: '上海某某科技有限公司',
      attributes: fixture.customers[0]!.attributes,
      now: ctx.now,
      tagGroups: ctx.tagGroups,
      departmentParents: ctx.departmentParents,
    });
    // Relations in add-time order; the customer's tags are the union of theirs.
    expect(f!.follows).toEqual([
      { userid: 'lisi', departmentIds: [6], addTime: new Date('2025-12-01T09:00:00+08:00'), addWay: 202, state: '', tags: [T.B, T.C] },
      { userid: 'zhangsan', departmentIds: [3], addTime: new Date('2026-03-20T10:00:00+08:00'), addWay: 1, state: '展会', tags: [T.A] },
    ]);
    expect([...f!.tags].sort()).toEqual([T.A, T.B, T.C]);
    expect(f!.events.map((e) => [e.type, e.target, e.at.toISOString()])).toEqual([
      ['link.clicked', 'p2', '2026-02-01T02:00:00.000Z'],
      ['link.clicked', 'p1', '2026-03-28T02:00:00.000Z'],
      ['link.clicked', 'p1', '2026-03-30T02:00:00.000Z'],
    ]);
    expect(f!.utcOffsetMinutes).toBeUndefined();
    expect((await loadCustomerFacts(db().db, corpId, 'wm1', { ...ctx, utcOffsetMinutes: 0 }))!.utcOffsetMinutes).toBe(0);
  });

  it("puts a customer in its own region, else in every region of its followers' departments", async () => {
    const facts = await loadCustomersFacts(db().db, corpId, ['wm1', 'wm2', 'wm3', 'wm4', 'wm5'], ctx);
    const regions = Object.fromEntries([...facts].map(([id, f]) => [id, [f.region, f.regions]]));
    // wm1: zhangsan's dept 3 has an empty region and inherits 华东; lisi's 6 inherits 华北.
    // wm2: its own 华南 wins over zhangsan's 华东. wm4: ghost has no employee row.
    expect(regions).toEqual({
      wm1: ['华东', ['华东', '华北']],
      wm2: ['华南', ['华南']],
      wm3: ['', []],
      wm4: ['华东', ['华东']],
      wm5: ['华东', ['华东', '华北']],
    });
  });

  it("includes personal-tag marks only on the personal owner's relations", async () => {
    const other = unique('ww');
    await seedCorp(db().db, other, fixture);
    // A personal mark where it should never be (lisi's relation) must not count for zhangsan.
    await db().db.execute(
      sql`insert into marks (corp_id, external_userid, userid, tag_id, personal, created_by) values (${other}, 'wm1', 'lisi', ${T.mine}, 1, 'lisi')`,
    );
    const tags = async (id: string, personalOwner?: string) =>
      [...(await loadCustomerFacts(db().db, other, id, ctx, personalOwner === undefined ? {} : { personalOwner }))!.tags].sort();
    expect(await tags('wm4')).toEqual([T.E]);
    expect(await tags('wm4', 'lisi')).toEqual([T.E]);
    expect(await tags('wm4', 'zhangsan')).toEqual([T.E, T.mine]);
    expect(await tags('wm1', 'zhangsan')).toEqual([T.A, T.B, T.C]);
    expect(await tags('wm1', 'lisi')).toEqual([T.A, T.B, T.C, T.mine]);
  });

  it('answers undefined for an unknown customer and batches only known ones', async () => {
    expect(await loadCustomerFacts(db().db, corpId, 'wmNobody', ctx)).toBeUndefined();
    expect(await loadCustomerFacts(db().db, unique('ww'), 'wm1', ctx)).toBeUndefined();
    expect([...(await loadCustomersFacts(db().db, corpId, ['wm5', 'wmNobody', 'wm3', 'wm5'], ctx)).keys()].sort()).toEqual(['wm3', 'wm5']);
    expect((await loadCustomersFacts(db().db, corpId, [], ctx)).size).toBe(0);
  });

  it('floors microsecond times to the millisecond, which keeps window comparisons as SQL makes them', async () => {
    const other = unique('ww');
    await seedCorp(db().db, other, fixture);
    // 1 µs before the 7-day bound, and 1 µs after the 30-day bound.
    await db().db.execute(
      sql`update customer_events set occurred_at = '2026-03-24T23:59:59.999999+08:00' where corp_id = ${other} and occurred_at = '2026-03-25T00:00:00+08:00'`,
    );
    await db().db.execute(sql`update follows set add_time = '2026-03-02T00:00:00.000001+08:00' where corp_id = ${other} and external_userid = 'wm5'`);
    const f = (await loadCustomerFacts(db().db, other, 'wm5', ctx))!;
    expect(f.events[0]!.at.toISOString()).toBe('2026-03-24T15:59:59.999Z');
    expect(f.follows[0]!.addTime.toISOString()).toBe('2026-03-01T16:00:00.000Z');
    for (const text of [
      'event:message.sent(within=7d, count=2)',
      'added:within(30d)',
      'event:message.sent(at=2026-03-25.., count=2)',
      'event:message.sent(at=..2026-03-24, count=1)',
    ]) {
      expect(evaluate(parseExpression(text), f), text).toBe(true);
      expect(await audienceSeqs(db().db, other, parseExpression(text), ctx), text).toContain(5);
    }
  });

  it("treats attributes that are not a JSON object as no attributes, as SQL's -> does", async () => {
    const other = unique('ww');
    await seedCorp(db().db, other, fixture);
    await db().db.execute(sql`update customers set attributes = '[3, "x"]'::jsonb where corp_id = ${other} and external_userid = 'wm1'`);
    const f = (await loadCustomerFacts(db().db, other, 'wm1', ctx))!;
    expect(f.attributes).toEqual({});
    expect(await audienceSeqs(db().db, other, parseExpression('attr.0 exists'), ctx)).toEqual([]);
  });
});
