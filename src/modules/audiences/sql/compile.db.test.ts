import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import { queryRows } from '../../../db/client.js';
import { describeDb } from '../../../test/db.js';
import { unique } from '../../../test/factories.js';
import { evaluate } from '../expression/evaluate.js';
import { parseExpression } from '../expression/parse.js';
import { audienceCount, audienceQuery, audienceSeqs } from './compile.js';
import { loadCustomersFacts } from './facts.js';
import { fixtureCtx as ctx, fixture, T } from './test-fixture.js';
import { seedCorp } from './test-support.js';

const all = [1, 2, 3, 4, 5];
// Each row: an expression (text, ids after #) and the seqs it selects.
const table: Record<string, [string, number[]][]> = {
  tags: [
    [`tag:#${T.A}`, [1, 3]],
    [`tag:#${T.B}`, [1, 2]],
    [`tag:#${T.mine}`, [4]],
    [`tag:#${T.E}`, [4]],
    [`not tag:#${T.C}`, [2, 3, 4, 5]],
    [`group:#etGrpX00001:any`, [1, 2, 3]],
    [`group:#etGrpX00001:all`, [1]],
    [`group:#etGrpX00001:none`, [4, 5]],
    [`group:#etGrpY00001:all`, []],
    [`group:#etGrpY00001:any`, [1]],
    [`group:#etGrpZ00001:all`, all],
    [`group:#etGrpZ00001:any`, []],
    [`group:#etGrpZ00001:none`, all],
    [`not group:#etGrpZ00001:all`, []],
  ],
  relations: [
    ['source:202', [1]],
    ['state:展会', [1]],
    ['source:202 and state:展会', [1]],
    ['follower:ghost', [4]],
    ['not follower:zhangsan', [3, 5]],
    ['added:within(30d)', [1, 5]],
    ['added:2026-03-20', [1]],
    ['added:..2026-03-01', [1, 2, 4]],
    ['added:2026-03-02..', [1, 5]],
    ['added:2026-03-01T23:59:59.999+08:00..2026-03-01T23:59:59.999+08:00', [4]],
    ['dept:3', [1, 2, 4]],
    ['dept:2', []],
    ['dept:2+', [1, 2, 4, 5]],
    ['dept:6', [1]],
    ['dept:1+', [1, 2, 4, 5]],
    ['not dept:1+', [3]],
    ['dept:9+', []],
  ],
  customer: [
    ['province:上海', [1, 3]],
    ['city in (杭州, 广州)', [2, 3]],
    ['gender:female', [1]],
    ['gender in (0, 1)', [2, 3, 4, 5]],
    ['company:上海某某科技有限公司', [1]],
    ['company~科技', [1, 4]],
    ['company~"%"', [4]],
    ['company~"_"', []],
    ['company~""', all],
    ['company:""', [2, 3, 5]],
    ['region:华东', [1, 4, 5]],
    ['region:华北', [1, 5]],
    ['region:华南', [2]],
    ['region:""', []],
    ['not region:华东', [2, 3]],
    ['region in (华南, 华北)', [1, 2, 5]],
  ],
  attributes: [
    ['attr.level = 3', [1]],
    ['attr.level != 3', [5]],
    ['not attr.level = 3', [2, 3, 4, 5]],
    ['attr.level > 3', [5]],
    ['attr.level between 3 .. 5.5', [1, 5]],
    ['attr.level in (3, 5.5)', [1, 5]],
    ['attr.level exists', [1, 2, 5]],
    ['attr.level::string = "3"', [2]],
    ['attr.level::string != "3"', []],
    ['attr.note ~ "%"', [1]],
    ['attr.note ~ "_"', [1]],
    ['attr.note::string != x', [1]],
    ['attr.tier::enum in (gold, silver)', [1]],
    ['attr.birthday::date exists', [1, 2, 3, 5]],
    ['attr.birthday < 2000-01-01', [1]],
    ['attr.birthday = 2026-03-05', [3]],
    ['attr.birthday != 2026-03-05', [1, 5]],
    ['attr.birthday > 2026-03-04', [3, 5]],
    ['attr.birthday > 2026-03-05', [5]],
    ['attr.birthday >= 2026-03-06', [5]],
    ['attr.birthday < 2026-03-06', [1, 3]],
    ['attr.birthday between 2026-03-05 .. 2026-03-05', [3]],
    ['attr.birthday <= 2026-03-05', [1, 3]],
    ['attr.birthday >= 2026-03-05T18:00:01+08:00', [5]],
    ['attr.birthday = 2026-03-05T10:00:00Z', []],
    ['attr.birthday >= 2026-03-05T10:00:00Z', [3, 5]],
    ['not attr.birthday = 1990-05-01', [2, 3, 4, 5]],
    ['attr.birthday::string ~ "02-30"', [2]],
  ],
  events: [
    ['event:link.clicked', [1]],
    ['event:link.clicked(count=0)', [2, 3, 4, 5]],
    ['event:link.clicked(target=p1, count<=1)', [2, 3, 4, 5]],
    ['event:link.clicked(target=p1, count>=2)', [1]],
    ['event:link.clicked(target=p2, count=1)', [1]],
    ['event:link.clicked(within=7d, count>=2)', [1]],
    ['event:link.clicked(within=7d, count>=3)', []],
    ['event:message.sent(within=7d, count=3)', [5]],
    ['event:message.sent(target="", count=3)', [5]],
    ['event:message.sent(target=x)', []],
    ['event:message.sent(at=2026-03-25.., count>=3)', [5]],
    ['event:message.sent(at=..2026-03-24)', []],
    ['event:message.sent(at=..2026-03-25, count=1)', [5]],
    ['event:message.sent(within=1h)', [5]],
    ['event:message.sent(at=2026-03-26T12:00+08:00)', [5]],
    ['not event:link.clicked', [2, 3, 4, 5]],
  ],
  nesting: [
    [`not group:#etGrpX00001:any or (tag:#${T.A} and region:华北)`, [1, 4, 5]],
    [`not (not tag:#${T.A} and not event:message.sent)`, [1, 3, 5]],
    [`(source:202 or follower:ghost) and not (dept:6 and attr.level > 100)`, [1, 4]],
  ],
};

describeDb('audience SQL, leaf by leaf', (db) => {
  const corpId = unique('ww');
  let facts: Awaited<ReturnType<typeof loadCustomersFacts>>;
  beforeAll(async () => {
    await seedCorp(db().db, corpId, fixture);
    facts = await loadCustomersFacts(
      db().db,
      corpId,
      fixture.customers.map((c) => c.externalUserid),
      ctx,
      { personalOwner: 'zhangsan' },
    );
  });

  for (const [group, rows] of Object.entries(table)) {
    describe(group, () => {
      it.each(rows)('%s → %j', async (text, seqs) => {
        const expr = parseExpression(text);
        // The table is checked against the reference evaluator too, so it cannot drift from the spec.
        expect(fixture.customers.flatMap((c, i) => (evaluate(expr, facts.get(c.externalUserid)!) ? [i + 1] : []))).toEqual(seqs);
        expect(await audienceSeqs(db().db, corpId, expr, ctx)).toEqual(seqs);
        expect(await audienceCount(db().db, corpId, expr, ctx)).toBe(seqs.length);
      });
    });
  }

  it('reads date literals in the context zone: 10:00:00.5Z is on 2026-03-05 in UTC, on 03-04 at -11:00', async () => {
    const expr = parseExpression('attr.birthday = 2026-03-05');
    expect(await audienceSeqs(db().db, corpId, expr, { ...ctx, utcOffsetMinutes: 0 })).toEqual([3]);
    expect(await audienceSeqs(db().db, corpId, expr, { ...ctx, utcOffsetMinutes: -660 })).toEqual([]);
  });

  it('answers rows of seq and external_userid, parameterized', async () => {
    const expr: Expr = { any: [{ state: ["'; drop table customers; --"] }, { tag: T.B }] };
    const rows = await queryRows<{ seq: number; external_userid: string }>(db().db, sql`select * from (${audienceQuery(corpId, expr, ctx)}) q order by seq`);
    expect(rows.map((r) => [Number(r.seq), r.external_userid])).toEqual([
      [1, 'wm1'],
      [2, 'wm2'],
    ]);
  });

  it('never errors on extreme stored numbers: beyond a double is not a number, below it is 0', async () => {
    const other = unique('ww');
    const data = { ...fixture, customers: fixture.customers.slice(0, 3) };
    await seedCorp(db().db, other, data);
    await db().db.execute(
      sql`update customers set attributes = case seq when 1 then '{"level": 1e400}'::jsonb when 2 then '{"level": -1e-400}'::jsonb else '{"level": 1.7976931348623157e308}'::jsonb end where corp_id = ${other}`,
    );
    const loaded = await loadCustomersFacts(db().db, other, ['wm1', 'wm2', 'wm3'], ctx);
    const seqs = async (text: string) => {
      const got = await audienceSeqs(db().db, other, parseExpression(text), ctx);
      expect(['wm1', 'wm2', 'wm3'].flatMap((id, i) => (evaluate(parseExpression(text), loaded.get(id)!) ? [i + 1] : []))).toEqual(got);
      return got;
    };
    expect(await seqs('attr.level exists')).toEqual([1, 2, 3]);
    expect(await seqs('attr.level > 0')).toEqual([3]);
    expect(await seqs('attr.level = 0')).toEqual([2]);
    expect(await seqs('attr.level != 0')).toEqual([3]);
  });
});
