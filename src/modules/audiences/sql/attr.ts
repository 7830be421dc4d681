import { type SQL, sql } from 'drizzle-orm';
import type { AttrPredicate } from '../../../../contracts/audience-expression/ast.js';
import { dateInterval, type Interval } from '../../../../contracts/audience-expression/time.js';

// The shapes `dateInterval` accepts. [0-9], not \d: in PostgreSQL \d also matches other scripts' digits.
const isoDate = '^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]{1,9})?)?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?$';

// JSON numbers are unbounded decimals, JS doubles are not. From the point halfway past the
// largest double on, JSON.parse gives ±Infinity (not finite: no match); at about half the smallest
// subnormal and below it gives 0, which float8's input would reject as an underflow instead.
const infinityFrom =
  '179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792';
const zeroBelow = '2.4703282292062328e-324';

/**
 * `read(t)` over the epoch milliseconds a stored date string denotes, exactly as
 * `dateInterval(s, offset).start`: a date is the start of that day in the corp's zone, a date-time
 * its instant (its zone, else the corp's), fractions cut to milliseconds. t is NULL for anything
 * else, invalid calendar days included, and nothing ever errors: once the pattern matched, every
 * field sits at a fixed position (the seconds at 18, a fraction at 21, a zone in the last 6).
 * One pattern test and a few substr calls, not regexp_match, whose captures cost ~20× more.
 * Each step is an `offset 0` sub-select so that its value is computed once per customer.
 */
export function withDateStart(text: SQL, utcOffsetMinutes: number, read: (t: SQL) => SQL): SQL {
  const field = (from: number, length: number) => sql.raw(`substr(x.s, ${from}, ${length})::int4`);
  const zone = sql`case when length(x.s) > 10 and right(x.s, 1) = 'Z' then 'Z' when length(x.s) > 16 and substr(x.s, length(x.s) - 5, 1) in ('+', '-') then right(x.s, 6) end`;
  const parsed = sql`select ${field(1, 4)} as y, ${field(6, 2)} as mo, ${field(9, 2)} as d,
      case when length(x.s) > 10 then ${field(12, 2)} else 0 end as h, case when length(x.s) > 10 then ${field(15, 2)} else 0 end as mi,
      case when substr(x.s, 17, 1) = ':' then ${field(18, 2)} else 0 end as sec,
      case when substr(x.s, 20, 1) = '.' then rpad(split_part(translate(substr(x.s, 21, 3), 'Z+-', '   '), ' ', 1), 3, '0')::int4 else 0 end as ms,
      ${zone} as z
    from (select ${text} as s offset 0) x where x.s ~ ${isoDate} offset 0`;
  const zoned = sql`select p.*, case when p.z is null then ${utcOffsetMinutes}::int4 when p.z = 'Z' then 0 else (case when left(p.z, 1) = '-' then -1 else 1 end) * (substr(p.z, 2, 2)::int4 * 60 + substr(p.z, 5, 2)::int4) end as off,
      case when p.z is null or p.z = 'Z' then true else substr(p.z, 2, 2)::int4 <= 14 and substr(p.z, 5, 2)::int4 <= 59 end as zone_ok
    from (${parsed}) p offset 0`;
  const days = sql`case when q.mo = 2 then case when (q.y % 4 = 0 and q.y % 100 <> 0) or q.y % 400 = 0 then 29 else 28 end when q.mo in (4, 6, 9, 11) then 30 else 31 end`;
  const valid = sql`q.y >= 1000 and q.mo between 1 and 12 and q.d between 1 and (${days}) and q.h <= 23 and q.mi <= 59 and q.sec <= 59 and q.zone_ok`;
  const ms = sql`(make_date(q.y, q.mo, q.d) - date '1970-01-01')::int8 * 86400000 + q.h * 3600000 + q.mi * 60000 + q.sec * 1000 + q.ms - q.off * 60000`;
  return sql`(select ${read(sql`t.t`)} from (select case when ${valid} then ${ms} end as t from (${zoned}) q offset 0) t)`;
}

const jsonNumber = (v: SQL) =>
  sql`case when jsonb_typeof(${v}) = 'number' and abs((${v})::numeric) < ${sql.raw(infinityFrom)} then case when abs((${v})::numeric) <= ${sql.raw(zeroBelow)} then 0::float8 else (${v})::float8 end end`;

type Compare = (x: string | number) => SQL;
type Ordered = { eq: Compare; in: (xs: (string | number)[]) => SQL; gt: Compare; gte: Compare; lt: Compare; lte: Compare };

// Number comparisons are plain, on the double JSON.parse would read.
function numberOps(t: SQL): Ordered {
  const n = (x: string | number) => sql`${Number(x)}::float8`;
  const list = (xs: (string | number)[]) => sql`${sql.param(xs.map(Number))}::float8[]`;
  return {
    eq: (x) => sql`${t} = ${n(x)}`,
    in: (xs) => sql`${t} = any(${list(xs)})`,
    gt: (x) => sql`${t} > ${n(x)}`,
    gte: (x) => sql`${t} >= ${n(x)}`,
    lt: (x) => sql`${t} < ${n(x)}`,
    lte: (x) => sql`${t} <= ${n(x)}`,
  };
}

// A date literal is a whole day (or one millisecond), so `> d` starts at the end of d and `<= d`
// stops there, as in match.ts; the literal's bounds are computed here, in JS, by dateInterval.
function dateOps(t: SQL, offset: number): Ordered {
  const span = (x: string | number): Interval => {
    const i = dateInterval(String(x), offset);
    if (!i) throw new Error(`Not a date literal: ${JSON.stringify(x)}; validate the expression before compiling it.`);
    return i;
  };
  const at = (ms: number) => sql`${ms}::int8`;
  const eq: Compare = (x) => sql`(${t} >= ${at(span(x).start)} and ${t} < ${at(span(x).end)})`;
  return {
    eq,
    in: (xs) => sql`(${sql.join(xs.map(eq), sql` or `)})`,
    gt: (x) => sql`${t} >= ${at(span(x).end)}`,
    gte: (x) => sql`${t} >= ${at(span(x).start)}`,
    lt: (x) => sql`${t} < ${at(span(x).start)}`,
    lte: (x) => sql`${t} < ${at(span(x).end)}`,
  };
}

function stringPredicate(a: AttrPredicate, s: SQL): SQL {
  if (a.op === 'eq') return sql`${s} = ${String(a.value)}::text`;
  if (a.op === 'ne') return sql`${s} <> ${String(a.value)}::text`;
  if (a.op === 'in') return sql`${s} = any(${sql.param(a.values.map(String))}::text[])`;
  // strpos, not LIKE: a % or _ in the value is literal text.
  if (a.op === 'contains') return sql`strpos(${s}, ${String(a.value)}::text) > 0`;
  throw new Error(`A ${a.type} attribute has no ${a.op}; validate the expression before compiling it.`);
}

function orderedPredicate(a: AttrPredicate, _t: SQL, ops: Ordered): SQL {
  switch (a.op) {
    case 'eq':
      return ops.eq(a.value);
    case 'ne':
      return sql`not ${ops.eq(a.value)}`;
    case 'in':
      return ops.in(a.values);
    case 'contains':
      return sql`false`;
    case 'gt':
      return ops.gt(a.value);
    case 'gte':
      return ops.gte(a.value);
    case 'lt':
      return ops.lt(a.value);
    case 'lte':
      return ops.lte(a.value);
    case 'between':
      return sql`(${ops.gte(a.from)} and ${ops.lte(a.to)})`;
    default:
      throw new Error(`Unexpected attribute op ${a.op}.`);
  }
}

/**
 * A custom attribute predicate over `c.attributes`, never NULL (so `not` flips it exactly). As in
 * match.ts, a comparison, `!=` included, needs a value of the attribute's type: a finite JSON
 * number, a JSON string, or a JSON string that is a valid date literal.
 */
export function attrPredicate(a: AttrPredicate, utcOffsetMinutes: number): SQL {
  const v = sql`(c.attributes -> ${a.name}::text)`;
  if (a.op === 'exists') return sql`coalesce(jsonb_typeof(${v}) <> 'null', false)`;
  const text = sql`(case when jsonb_typeof(${v}) = 'string' then c.attributes ->> ${a.name}::text end)`;
  if (a.type === 'string' || a.type === 'enum') return sql`coalesce(${stringPredicate(a, text)}, false)`;
  if (a.type === 'number') return sql`coalesce(${orderedPredicate(a, sql`(${jsonNumber(v)})`, numberOps(sql`(${jsonNumber(v)})`))}, false)`;
  return sql`coalesce(${withDateStart(text, utcOffsetMinutes, (t) => orderedPredicate(a, t, dateOps(t, utcOffsetMinutes)))}, false)`;
}
