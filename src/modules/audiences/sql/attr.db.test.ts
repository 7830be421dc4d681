import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { dateInterval } from '../../../../contracts/audience-expression/time.js';
import { type Db, queryRows } from '../../../db/client.js';
import { describeDb } from '../../../test/db.js';
import { dateLiteralArbitrary } from '../expression/test-support.js';
import { withDateStart } from './attr.js';

// Every string against dateInterval in one statement: the SQL instant (or null) for each.
async function sqlStarts(db: Db, literals: string[], offset: number): Promise<(number | null)[]> {
  const rows = await queryRows<{ i: number; t: number | null }>(
    db,
    sql`
    select s.i::int4 as i, ${withDateStart(sql`s.v`, offset, (t) => sql`${t}::float8`)} as t
    from unnest(${sql.param(literals)}::text[]) with ordinality as s(v, i) order by s.i`,
  );
  return rows.map((r) => (r.t === null ? null : Number(r.t)));
}
const jsStarts = (literals: string[], offset: number) => literals.map((l) => dateInterval(l, offset)?.start ?? null);

const cases = [
  '2026-01-01',
  '2026-02-28',
  '2026-02-29',
  '2024-02-29',
  '2100-02-29',
  '2000-02-29',
  '2026-02-30',
  '2026-04-31',
  '2026-12-31',
  '2026-13-01',
  '2026-00-01',
  '2026-01-00',
  '0999-12-31',
  '1000-01-01',
  '9999-12-31',
  '2026-3-5',
  '26-03-05',
  '２０２６-03-05',
  '2026-03-05\n',
  ' 2026-03-05',
  '2026-03-05 ',
  '2026/03/05',
  '',
  '2026-03-05T00:00',
  '2026-03-05T23:59',
  '2026-03-05T24:00',
  '2026-03-05T23:60',
  '2026-03-05T10:00:59',
  '2026-03-05T10:00:60',
  '2026-03-05T10',
  '2026-03-05T10:00:',
  '2026-03-05 10:00',
  '2026-03-05t10:00',
  '2026-03-05T10:00:00.1',
  '2026-03-05T10:00:00.12',
  '2026-03-05T10:00:00.123',
  '2026-03-05T10:00:00.1239',
  '2026-03-05T10:00:00.123456789',
  '2026-03-05T10:00:00.1234567890',
  '2026-03-05T10:00:00.',
  '2026-03-05T10:00.5',
  '2026-03-05T10:00Z',
  '2026-03-05T10:00z',
  '2026-03-05T10:00+08:00',
  '2026-03-05T10:00-05:30',
  '2026-03-05T10:00+14:00',
  '2026-03-05T10:00+14:59',
  '2026-03-05T10:00+15:00',
  '2026-03-05T10:00+00:60',
  '2026-03-05T10:00+0800',
  '2026-03-05T10:00+08',
  '2026-03-05Z',
  '2026-03-05+08:00',
  '1970-01-01T00:00Z',
  '1969-12-31T23:59:59.999Z',
];

describeDb('stored date strings as instants', (db) => {
  it('reads each literal exactly as dateInterval does, NULL for every invalid one, in several zones', async () => {
    for (const offset of [480, 0, -330, 840, -720]) expect(await sqlStarts(db().db, cases, offset), `offset ${offset}`).toEqual(jsStarts(cases, offset));
  });

  it('agrees with dateInterval on random literals, near-literals and noise', async () => {
    const shaped = fc.stringMatching(/^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,10})?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$/);
    const literal = fc.oneof(
      dateLiteralArbitrary('wild'),
      shaped,
      fc.string({ maxLength: 20 }).filter((s) => !s.includes('\u0000')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(literal, { minLength: 1, maxLength: 200 }), fc.integer({ min: -720, max: 840 }), async (literals, offset) => {
        expect(await sqlStarts(db().db, literals, offset)).toEqual(jsStarts(literals, offset));
      }),
      { numRuns: 20 },
    );
  });
});
