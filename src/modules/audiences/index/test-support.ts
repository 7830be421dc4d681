import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/client.js';
import { type CorpIndex, type Facet, facetNames, regionBitmap } from './corp-index.js';

/** An index as plain sorted data, so two indexes (or an index and SQL) compare with `toEqual`. */
export type IndexSnapshot = {
  universe: number[];
  tags: Record<string, number[]>;
  personalTags: Record<string, number[]>;
  facets: Record<Facet, Record<string, number[]>>;
  regions: Record<string, number[]>;
  /** Attribute name → value key → seqs. */
  attributes: Record<string, Record<string, number[]>>;
  createdAt: [number, number][];
  addTime: [number, number][];
  /** Event type → (seq, time, target) sorted. */
  events: Record<string, [number, number, string][]>;
};

const sorted = <T>(entries: [string, T][]): Record<string, T> => Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Every region any department or customer names: the regions a snapshot lists. */
async function regionNames(db: Db, corpId: string): Promise<string[]> {
  const rows = await queryRows<{ region: string }>(
    db,
    sql`
    select region from departments where corp_id = ${corpId} and region is not null
    union select attributes->>'region' from customers where corp_id = ${corpId} and coalesce(attributes->>'region', '') <> ''`,
  );
  return rows.map((r) => r.region);
}

/** The index's content as a snapshot (empty bitmaps left out, as SQL has no empty groups). */
export async function indexSnapshot(db: Db, index: CorpIndex): Promise<IndexSnapshot> {
  const plain = (map: Map<string, { toArray(): number[]; isEmpty: boolean }>) =>
    sorted([...map].filter(([, b]) => !b.isEmpty).map(([k, b]) => [k, b.toArray()]));
  const targets = new Map([...index.eventTargets].map(([target, label]) => [label, target]));
  const regions = (await regionNames(db, index.corpId))
    .map((r): [string, number[]] => [r, regionBitmap(index, r).toArray()])
    .filter(([, seqs]) => seqs.length > 0);
  return {
    universe: index.universe.toArray(),
    tags: plain(index.tags),
    personalTags: plain(index.personalTags),
    facets: Object.fromEntries(facetNames.map((f) => [f, plain(index.facets[f])])) as IndexSnapshot['facets'],
    regions: sorted(regions),
    attributes: sorted(
      [...index.attributes].map(([name, values]): [string, Record<string, number[]>] => [name, plain(values)]).filter(([, v]) => Object.keys(v).length > 0),
    ),
    createdAt: index.createdAt.entries(),
    addTime: index.addTime.entries(),
    events: sorted(
      [...index.events]
        .map(([type, column]): [string, [number, number, string][]] => [
          type,
          byEntry(column.labelledEntries().map(([seq, t, label]) => [seq, t, targets.get(label)!])),
        ])
        .filter(([, e]) => e.length > 0),
    ),
  };
}

/**
 * What the database says the index must hold, from deliberately plain SQL written independently
 * of the index's own loaders (one row per fact, `array_agg(distinct seq)`).
 */
export async function sqlTruth(db: Db, corpId: string): Promise<IndexSnapshot> {
  const groups = async (query: ReturnType<typeof sql>) => {
    const rows = await queryRows<{ k: string; seqs: number[] }>(db, sql`select k, array_agg(distinct seq order by seq) as seqs from (${query}) q group by k`);
    return sorted(rows.map((r) => [String(r.k), r.seqs.map(Number)]));
  };
  const cf = sql`from customers c where c.corp_id = ${corpId}`;
  const relations = sql`from customers c join follows f on f.corp_id = c.corp_id and f.external_userid = c.external_userid left join employees e on e.corp_id = f.corp_id and e.userid = f.userid`;
  const ff = sql`${relations} where c.corp_id = ${corpId}`;
  const marks = (personal: number) =>
    groups(
      sql`select m.tag_id as k, c.seq::int4 as seq from marks m join customers c on c.corp_id = m.corp_id and c.external_userid = m.external_userid where m.corp_id = ${corpId} and m.personal = ${personal}`,
    );
  const times = async (query: ReturnType<typeof sql>) =>
    (await queryRows<{ seq: number; t: number }>(db, sql`select seq, t from (${query}) q order by seq, t`)).map((r): [number, number] => [
      Number(r.seq),
      Number(r.t),
    ]);
  const facets: Record<Facet, Record<string, number[]>> = {
    gender: await groups(sql`select c.gender::text as k, c.seq::int4 as seq ${cf}`),
    province: await groups(sql`select c.province as k, c.seq::int4 as seq ${cf} and c.province <> ''`),
    city: await groups(sql`select c.city as k, c.seq::int4 as seq ${cf} and c.city <> ''`),
    ownRegion: await groups(sql`select c.attributes->>'region' as k, c.seq::int4 as seq ${cf} and coalesce(c.attributes->>'region', '') <> ''`),
    company: await groups(sql`select c.corp_name as k, c.seq::int4 as seq ${cf} and c.corp_name <> ''`),
    addWay: await groups(sql`select f.add_way::text as k, c.seq::int4 as seq ${ff}`),
    state: await groups(sql`select f.state as k, c.seq::int4 as seq ${ff}`),
    follower: await groups(sql`select f.userid as k, c.seq::int4 as seq ${ff}`),
    department: await groups(sql`select d::text as k, c.seq::int4 as seq ${relations} cross join unnest(e.department_ids) as d where c.corp_id = ${corpId}`),
  };
  // A department's region is its own or its nearest ancestor's; a customer's region is its own
  // attributes.region, else the regions of its followers' departments.
  const regions = await groups(sql`
    with recursive up(dept_id, parent_id, region, depth) as (
      select dept_id, parent_id, region, 0 from departments where corp_id = ${corpId}
      union all
      select up.dept_id, p.parent_id, p.region, up.depth + 1 from up join departments p on p.corp_id = ${corpId} and p.dept_id = up.parent_id
      where up.region is null and up.depth < 64
    ), eff as (select dept_id, max(region) as region from up where region is not null group by dept_id)
    select c.attributes->>'region' as k, c.seq::int4 as seq ${cf} and coalesce(c.attributes->>'region', '') <> ''
    union all
    select eff.region, c.seq::int4 ${relations} join eff on eff.dept_id = any(e.department_ids)
    where c.corp_id = ${corpId} and coalesce(c.attributes->>'region', '') = ''`);
  return {
    universe: (await queryRows<{ seq: number }>(db, sql`select seq::int4 as seq ${cf} order by seq`)).map((r) => Number(r.seq)),
    tags: await marks(0),
    personalTags: await marks(1),
    facets,
    regions,
    attributes: await attributeTruth(db, corpId),
    createdAt: await times(sql`select c.seq::int4 as seq, (extract(epoch from c.created_at) * 1000)::float8 as t ${cf}`),
    addTime: await times(sql`select c.seq::int4 as seq, (extract(epoch from f.add_time) * 1000)::float8 as t ${ff}`),
    events: await eventTruth(db, corpId),
  };
}

// One row per (customer, attribute), keyed in JavaScript by the value as the driver parsed it.
async function attributeTruth(db: Db, corpId: string): Promise<IndexSnapshot['attributes']> {
  const rows = await queryRows<{ name: string; value: unknown; seq: number }>(
    db,
    sql`
    select a.key as name, a.value, c.seq::int4 as seq from customers c cross join lateral jsonb_each(c.attributes) a
    where c.corp_id = ${corpId} and jsonb_typeof(c.attributes) = 'object' order by c.seq`,
  );
  const out = new Map<string, Map<string, number[]>>();
  for (const r of rows) {
    const key = typeof r.value === 'number' && !Number.isFinite(r.value) ? String(r.value) : JSON.stringify(r.value);
    const values = out.get(r.name) ?? new Map<string, number[]>();
    values.set(key, [...(values.get(key) ?? []), Number(r.seq)]);
    out.set(r.name, values);
  }
  return sorted([...out].map(([name, values]): [string, Record<string, number[]>] => [name, sorted([...values])]));
}

// One row per event of a customer that exists.
async function eventTruth(db: Db, corpId: string): Promise<IndexSnapshot['events']> {
  const rows = await queryRows<{ type: string; seq: number; t: number; target: string }>(
    db,
    sql`
    select e.type, c.seq::int4 as seq, (extract(epoch from e.occurred_at) * 1000)::float8 as t, e.target
    from customer_events e join customers c on c.corp_id = e.corp_id and c.external_userid = e.external_userid
    where e.corp_id = ${corpId} order by e.type, c.seq, t, e.target`,
  );
  const out = new Map<string, [number, number, string][]>();
  for (const r of rows) out.set(r.type, [...(out.get(r.type) ?? []), [Number(r.seq), Number(r.t), r.target]]);
  return sorted([...out].map(([type, entries]) => [type, byEntry(entries)]));
}

// Entries in one order on both sides: by seq, time, then target by code unit (the index numbers
// targets in the order it met them, and the database collates text its own way).
function byEntry(entries: [number, number, string][]): [number, number, string][] {
  return entries.sort((a, b) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
}

/**
 * Appends behaviour events and the `customer_event.recorded` outbox row announcing them, in one
 * transaction, as the recording command does (written raw so index tests do not depend on that
 * command's authorization).
 */
export async function recordCustomerEventsRaw(
  db: Db,
  corpId: string,
  rows: { externalUserid: string; type: string; target?: string; at: Date }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into customer_events (corp_id, external_userid, type, target, occurred_at)
      select ${corpId}, e.ext, e.type, e.target, e.at
      from unnest(${sql.param(rows.map((r) => r.externalUserid))}::text[], ${sql.param(rows.map((r) => r.type))}::text[],
                  ${sql.param(rows.map((r) => r.target ?? ''))}::text[], ${sql.param(rows.map((r) => r.at.toISOString()))}::timestamptz[]) as e(ext, type, target, at)`);
    const externalUserids = [...new Set(rows.map((r) => r.externalUserid))];
    await tx.execute(sql`
      insert into events (corp_id, type, actor, source, subject_type, subject_id, payload)
      values (${corpId}, 'customer_event.recorded', 'system', 'api', 'customer', ${externalUserids.length === 1 ? externalUserids[0]! : '*'},
              ${JSON.stringify({ count: rows.length, types: [...new Set(rows.map((r) => r.type))], externalUserids })}::jsonb)`);
  });
}
