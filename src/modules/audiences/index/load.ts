import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../../db/client.js';
import { decodeInt4s, decodeRun } from './decode.js';
import type { TimeRun } from './time-column.js';

// The SQL the index is built and refreshed from. Bulk reads (a page of customers, a set of tags)
// come back as one bytea of seqs per group; small refreshes come back as plain rows.

/** Seqs sharing one value of a facet (e.g. facet `city`, value `上海`). */
export type FacetGroup = { facet: string; value: string; seqs: Uint32Array };

/** The customers carrying one tag (`personal` = 1 for a personal tag). */
export type TagGroup = { tagId: string; personal: number; seqs: Uint32Array };

/** One customer's own attributes, as a refresh reads them. */
export type CustomerRow = { seq: number; gender: string; province: string; city: string; ownRegion: string; company: string; createdMs: number };

/** One follow relation of a refreshed customer, with the follower's departments. */
export type FollowRow = { seq: number; userid: string; addWay: string; state: string; departmentIds: number[]; addMs: number };

/** Seqs sharing one value (`attrKey`) of one custom attribute. */
export type AttrGroup = { name: string; value: string; seqs: Uint32Array };

/** One custom attribute of a refreshed customer. */
export type AttrRow = { seq: number; name: string; value: string };

/** The events of one (type, target), sorted by (time, seq): one run per group. */
export type EventGroup = { type: string; target: string; run: TimeRun };

/** The current customer members of one group chat at their join times, sorted by (time, seq). */
export type ChatGroup = { chatId: string; run: TimeRun };

/** One group chat membership of a refreshed customer. */
export type ChatRow = { seq: number; chatId: string; ms: number };

/** One behaviour event of a refreshed customer. */
export type EventRow = { seq: number; type: string; target: string; ms: number };

/**
 * The index key of an attribute value, from PostgreSQL's text of the jsonb value: its
 * `JSON.stringify`, so `1.0` and `1` share a key. A number JavaScript cannot hold (1e400) keeps
 * its own text, which still parses back to the same value the reference evaluator sees.
 * @example attrKey('1.50') // → '1.5'
 */
export function attrKey(jsonText: string): string {
  const value: unknown = JSON.parse(jsonText);
  return typeof value === 'number' && !Number.isFinite(value) ? jsonText : JSON.stringify(value);
}

type TagBytes = { tag_id: string; personal: number; seqs: Uint8Array | null };

// jsonb_each fails on a non-object; a customer whose attributes are not an object has none.
const objectOf = (column: SQL) => sql`case when jsonb_typeof(${column}) = 'object' then ${column} else '{}'::jsonb end`;
const ms = (column: SQL) => sql`(extract(epoch from ${column}) * 1000)::float8`;
const tagGroups = (rows: TagBytes[]): TagGroup[] => rows.map((r) => ({ tagId: r.tag_id, personal: Number(r.personal), seqs: decodeInt4s(r.seqs) }));
// A time run as one sorted aggregate of 12-byte (seq, time) records: one sort, not one per column.
const timeRecords = (rows: SQL) => sql`(select string_agg(int4send(seq) || float8send(t), ''::bytea order by t, seq) from (${rows}) x)`;

/**
 * A page of customers by external_userid: `after < id ≤ upTo` (null = open). Pages follow the
 * primary keys of customers, follows and marks, which all lead with (corp_id, external_userid),
 * so each page reads only its own rows, by index, and joins them in a small hash.
 */
export type KeyRange = { after: string | null; upTo: string | null };

const inRange = (column: SQL, r: KeyRange) =>
  sql`${r.after === null ? sql`true` : sql`${column} > ${r.after}`} and ${r.upTo === null ? sql`true` : sql`${column} <= ${r.upTo}`}`;

/** The page of up to `size` customers after `after` (keyset: a short walk along the primary key). */
export async function nextRange(db: Db, corpId: string, after: string | null, size: number): Promise<KeyRange | null> {
  const from = sql`customers where corp_id = ${corpId} and ${after === null ? sql`true` : sql`external_userid > ${after}`} order by external_userid`;
  const [row] = await queryRows<{ first: string | null; last: string | null }>(
    db,
    sql`
    select (select external_userid from ${from} limit 1) as first, (select external_userid from ${from} offset ${size - 1} limit 1) as last`,
  );
  return row?.first ? { after, upTo: row.last } : null;
}

/** The ids of the corp's personal tags: marks of these go to the personal bitmaps. */
export async function personalTagIds(db: Db, corpId: string): Promise<Set<string>> {
  return new Set((await queryRows<{ tag_id: string }>(db, sql`select tag_id from personal_tags where corp_id = ${corpId}`)).map((r) => r.tag_id));
}

/** Everything one page of customers contributes to the index. */
export type Page = {
  facets: FacetGroup[];
  tags: TagGroup[];
  attributes: AttrGroup[];
  events: EventGroup[];
  chats: ChatGroup[];
  created: TimeRun;
  added: TimeRun;
};

type PageRow = {
  kind: 'customer' | 'company' | 'attr' | 'follow' | 'state' | 'tag' | 'event' | 'chat' | 'created' | 'added';
  a: string | null;
  b: string | null;
  c: string | null;
  d: string | null;
  seqs: Uint8Array | null;
  times: Uint8Array | null;
};

/**
 * Reads one page in a single statement: the page's customers are read once and grouped by their
 * combination of attribute values (a few hundred combinations, not one row per customer), by
 * company and by custom attribute value; their relations by (follower, add way) and by state
 * (`''` included: "state is empty" is a question too); their marks by tag (only columns of the
 * marks primary key, so a vacuumed table answers from the index alone); their behaviour events as
 * one time run per (type, target); their group chat memberships as one time run per chat (customer
 * members only, type 2); plus the created and add time runs (one entry per relation).
 * Department facets are not read here: the build derives them from the follower bitmaps.
 */
export async function loadPage(db: Db | Tx, corpId: string, range: KeyRange, personal: Set<string>): Promise<Page> {
  const rows = await queryRows<PageRow>(
    db,
    sql`
    with c as materialized (
      select seq::int4 as seq, external_userid, gender, province, city, coalesce(attributes->>'region', '') as region, corp_name, attributes, created_at
      from customers where corp_id = ${corpId} and ${inRange(sql`external_userid`, range)}
    ), r as materialized (
      select c.seq, f.userid, f.add_way, f.state, f.add_time
      from c join follows f on f.corp_id = ${corpId} and ${inRange(sql`f.external_userid`, range)} and f.external_userid = c.external_userid
    )
    select 'customer' as kind, gender::text as a, province as b, city as c, region as d, string_agg(int4send(seq), ''::bytea) as seqs, null::bytea as times
      from c group by gender, province, city, region
    union all
    select 'company', corp_name, null, null, null, string_agg(int4send(seq), ''::bytea), null from c where corp_name <> '' group by corp_name
    union all
    select 'attr', a.key, a.value::text, null, null, string_agg(int4send(c.seq), ''::bytea), null
      from c cross join lateral jsonb_each(${objectOf(sql`c.attributes`)}) a where c.attributes <> '{}'::jsonb group by a.key, a.value
    union all
    select 'follow', userid, add_way::text, null, null, string_agg(int4send(seq), ''::bytea), null from r group by userid, add_way
    union all
    select 'state', state, null, null, null, string_agg(int4send(seq), ''::bytea), null from r group by state
    union all
    select 'tag', m.tag_id, null, null, null, string_agg(int4send(c.seq), ''::bytea), null
      from c join marks m on m.corp_id = ${corpId} and ${inRange(sql`m.external_userid`, range)} and m.external_userid = c.external_userid group by m.tag_id
    union all
    select 'event', e.type, e.target, null, null, null, string_agg(int4send(c.seq) || float8send(${ms(sql`e.occurred_at`)}), ''::bytea order by ${ms(sql`e.occurred_at`)}, c.seq)
      from c join customer_events e on e.corp_id = ${corpId} and ${inRange(sql`e.external_userid`, range)} and e.external_userid = c.external_userid group by e.type, e.target
    union all
    select 'chat', gm.chat_id, null, null, null, null, string_agg(int4send(c.seq) || float8send(${ms(sql`gm.join_time`)}), ''::bytea order by ${ms(sql`gm.join_time`)}, c.seq)
      from c join group_chat_members gm on gm.corp_id = ${corpId} and ${inRange(sql`gm.member_id`, range)} and gm.member_id = c.external_userid and gm.type = 2
      group by gm.chat_id
    union all
    select 'created', null, null, null, null, null, ${timeRecords(sql`select seq, ${ms(sql`created_at`)} as t from c`)}
    union all
    select 'added', null, null, null, null, null, ${timeRecords(sql`select seq, ${ms(sql`add_time`)} as t from r`)}`,
  );
  const page: Page = { facets: [], tags: [], attributes: [], events: [], chats: [], created: decodeRun(null), added: decodeRun(null) };
  const facet = (name: string, value: string | null, seqs: Uint32Array, keepEmpty = false) => {
    if (value || (keepEmpty && value !== null)) page.facets.push({ facet: name, value, seqs });
  };
  for (const row of rows) {
    const seqs = decodeInt4s(row.seqs);
    if (row.kind === 'customer') {
      facet('gender', row.a, seqs);
      facet('province', row.b, seqs);
      facet('city', row.c, seqs);
      facet('ownRegion', row.d, seqs);
    } else if (row.kind === 'company') {
      facet('company', row.a, seqs);
    } else if (row.kind === 'attr') {
      page.attributes.push({ name: row.a!, value: attrKey(row.b!), seqs });
    } else if (row.kind === 'follow') {
      facet('follower', row.a, seqs);
      facet('addWay', row.b, seqs);
    } else if (row.kind === 'state') {
      facet('state', row.a, seqs, true);
    } else if (row.kind === 'tag') {
      page.tags.push({ tagId: row.a!, personal: personal.has(row.a!) ? 1 : 0, seqs });
    } else if (row.kind === 'event') {
      page.events.push({ type: row.a!, target: row.b!, run: decodeRun(row.times) });
    } else if (row.kind === 'chat') {
      page.chats.push({ chatId: row.a!, run: decodeRun(row.times) });
    } else {
      page[row.kind] = decodeRun(row.times);
    }
  }
  return page;
}

/** Each employee's own departments: the build derives department facets from follower bitmaps with it. */
export async function loadEmployeeDepartments(db: Db, corpId: string): Promise<Map<string, number[]>> {
  const rows = await queryRows<{ userid: string; department_ids: number[] }>(db, sql`select userid, department_ids from employees where corp_id = ${corpId}`);
  return new Map(rows.map((r) => [r.userid, r.department_ids.map(Number)]));
}

/** Every customer carrying each of the given tags now (by tag id, or by the bulk operation that added the marks). */
export async function loadTags(db: Db, corpId: string, by: { tagIds: string[] } | { operationIds: string[] }): Promise<TagGroup[]> {
  // The operation form reads the marks a bulk mark (`follow.tags_changed` with `bulk`) stamped,
  // through marks_operation_idx; single marks never come this way.
  const filter = 'tagIds' in by ? sql`m.tag_id = any(${sql.param(by.tagIds)}::text[])` : sql`m.operation_id = any(${sql.param(by.operationIds)}::text[])`;
  return tagGroups(
    await queryRows<TagBytes>(
      db,
      sql`
    select m.tag_id, max(m.personal)::int4 as personal, string_agg(int4send(c.seq::int4), ''::bytea) as seqs
    from marks m join customers c on c.corp_id = m.corp_id and c.external_userid = m.external_userid
    where m.corp_id = ${corpId} and ${filter}
    group by m.tag_id`,
    ),
  );
}

/**
 * Whether each (customer, tag) pair holds now: `personal` is null when no relation of the
 * customer carries the tag any more, else whether it is a personal tag.
 */
export async function loadPairs(
  db: Db,
  corpId: string,
  pairs: { externalUserid: string; tagId: string }[],
): Promise<{ tagId: string; seq: number; personal: number | null }[]> {
  if (pairs.length === 0) return [];
  const rows = await queryRows<{ tag_id: string; seq: number; personal: number | null }>(
    db,
    sql`
    select p.tag_id, c.seq::int4 as seq,
      (select max(m.personal)::int4 from marks m where m.corp_id = c.corp_id and m.external_userid = p.ext and m.tag_id = p.tag_id) as personal
    from unnest(${sql.param(pairs.map((p) => p.externalUserid))}::text[], ${sql.param(pairs.map((p) => p.tagId))}::text[]) as p(ext, tag_id)
    join customers c on c.corp_id = ${corpId} and c.external_userid = p.ext`,
  );
  return rows.map((r) => ({ tagId: r.tag_id, seq: Number(r.seq), personal: r.personal === null ? null : Number(r.personal) }));
}

/** What a refresh re-reads about some customers. */
export type CustomerRefresh = { customers: CustomerRow[]; follows: FollowRow[]; attributes: AttrRow[]; events: EventRow[]; chats: ChatRow[] };

/** Customers (by seq or by external_userid) with their own and custom attributes, follow relations, behaviour events and group chats. */
export async function loadCustomers(db: Db, corpId: string, by: { seqs: number[] } | { externalUserids: string[] }): Promise<CustomerRefresh> {
  const filter = 'seqs' in by ? sql`c.seq = any(${sql.param(by.seqs)}::bigint[])` : sql`c.external_userid = any(${sql.param(by.externalUserids)}::text[])`;
  const customers = await queryRows<{ seq: number; gender: string; province: string; city: string; own_region: string; corp_name: string; created_ms: number }>(
    db,
    sql`
    select c.seq::int4 as seq, c.gender::text as gender, c.province, c.city, coalesce(c.attributes->>'region', '') as own_region, c.corp_name, ${ms(sql`c.created_at`)} as created_ms
    from customers c where c.corp_id = ${corpId} and ${filter}`,
  );
  if (customers.length === 0) return { customers: [], follows: [], attributes: [], events: [], chats: [] };
  const found = sql`c.corp_id = ${corpId} and c.seq = any(${sql.param(customers.map((c) => c.seq))}::bigint[])`;
  const follows = await queryRows<{ seq: number; userid: string; add_way: string; state: string; department_ids: number[]; add_ms: number }>(
    db,
    sql`
    select c.seq::int4 as seq, f.userid, f.add_way::text as add_way, f.state, coalesce(e.department_ids, '{}') as department_ids, ${ms(sql`f.add_time`)} as add_ms
    from customers c
    join follows f on f.corp_id = c.corp_id and f.external_userid = c.external_userid
    left join employees e on e.corp_id = f.corp_id and e.userid = f.userid
    where ${found}`,
  );
  const attributes = await queryRows<{ seq: number; name: string; value: string }>(
    db,
    sql`
    select c.seq::int4 as seq, a.key as name, a.value::text as value from customers c cross join lateral jsonb_each(${objectOf(sql`c.attributes`)}) a where ${found}`,
  );
  const events = await queryRows<{ seq: number; type: string; target: string; ms: number }>(
    db,
    sql`
    select c.seq::int4 as seq, e.type, e.target, ${ms(sql`e.occurred_at`)} as ms
    from customers c join customer_events e on e.corp_id = c.corp_id and e.external_userid = c.external_userid where ${found}`,
  );
  const chats = await queryRows<{ seq: number; chat_id: string; ms: number }>(
    db,
    sql`
    select c.seq::int4 as seq, gm.chat_id, ${ms(sql`gm.join_time`)} as ms
    from customers c join group_chat_members gm on gm.corp_id = c.corp_id and gm.member_id = c.external_userid and gm.type = 2 where ${found}`,
  );
  return {
    customers: customers.map((c) => ({
      seq: Number(c.seq),
      gender: c.gender,
      province: c.province,
      city: c.city,
      ownRegion: c.own_region,
      company: c.corp_name,
      createdMs: Number(c.created_ms),
    })),
    follows: follows.map((f) => ({
      seq: Number(f.seq),
      userid: f.userid,
      addWay: f.add_way,
      state: f.state,
      departmentIds: f.department_ids.map(Number),
      addMs: Number(f.add_ms),
    })),
    attributes: attributes.map((a) => ({ seq: Number(a.seq), name: a.name, value: attrKey(a.value) })),
    events: events.map((e) => ({ seq: Number(e.seq), type: e.type, target: e.target, ms: Number(e.ms) })),
    chats: chats.map((m) => ({ seq: Number(m.seq), chatId: m.chat_id, ms: Number(m.ms) })),
  };
}

/** The department tree with each department's own region (null = inherit the parent's). */
export async function loadDepartments(db: Db, corpId: string): Promise<Map<number, { parentId: number; region: string | null }>> {
  const rows = await queryRows<{ dept_id: number; parent_id: number; region: string | null }>(
    db,
    sql`select dept_id, parent_id, region from departments where corp_id = ${corpId}`,
  );
  return new Map(rows.map((r) => [Number(r.dept_id), { parentId: Number(r.parent_id), region: r.region }]));
}
