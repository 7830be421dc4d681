import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/client.js';
import type { EvalContext } from '../context.js';
import { type ChatFact, type CustomerFacts, customerFacts, type EventFact, type FollowFact } from '../expression/facts.js';
import { type DepartmentRegion, effectiveRegionOf } from '../regions.js';

type CustomerRow = { external_userid: string; gender: number; province: string; city: string; corp_name: string; attributes: unknown; own_region: string };
type FollowRow = { external_userid: string; userid: string; add_ms: number; add_way: number; state: string; department_ids: number[] };
type MarkRow = { external_userid: string; userid: string; tag_id: string; personal: number };
type EventRow = { external_userid: string; type: string; target: string; at_ms: number };
type ChatRow = { external_userid: string; chat_id: string; name: string | null; join_ms: number };
type Department = DepartmentRegion;

// Times as whole epoch milliseconds, floored: a microsecond timestamp compares with the
// millisecond bounds of windows exactly as its floor does, whichever driver parses it.
const ms = (column: string) => sql.raw(`floor(extract(epoch from ${column}) * 1000)::float8`);

const groupBy = <T extends { external_userid: string }>(rows: T[]) => {
  const map = new Map<string, T[]>();
  for (const r of rows) map.set(r.external_userid, [...(map.get(r.external_userid) ?? []), r]);
  return map;
};

/**
 * Many customers' facts in six queries whatever their number, keyed by external_userid (unknown
 * ones are absent). Personal-tag marks count only on `personalOwner`'s relations, since a personal
 * tag filters only its owner's audiences; without an owner they are left out.
 */
export async function loadCustomersFacts(
  db: Db,
  corpId: string,
  externalUserids: string[],
  ctx: EvalContext,
  opts: { personalOwner?: string } = {},
): Promise<Map<string, CustomerFacts>> {
  const facts = new Map<string, CustomerFacts>();
  if (externalUserids.length === 0) return facts;
  const ids = sql`${sql.param([...new Set(externalUserids)])}::text[]`;
  const customers = await queryRows<CustomerRow>(
    db,
    sql`
    select external_userid, gender, province, city, corp_name, attributes, coalesce(attributes ->> 'region', '') as own_region
    from customers where corp_id = ${corpId} and external_userid = any(${ids})`,
  );
  if (customers.length === 0) return facts;
  const follows = groupBy(
    await queryRows<FollowRow>(
      db,
      sql`
    select f.external_userid, f.userid, ${ms('f.add_time')} as add_ms, f.add_way, f.state, coalesce(e.department_ids, '{}') as department_ids
    from follows f left join employees e on e.corp_id = f.corp_id and e.userid = f.userid
    where f.corp_id = ${corpId} and f.external_userid = any(${ids}) order by f.external_userid, f.add_time, f.userid`,
    ),
  );
  const marks = groupBy(
    await queryRows<MarkRow>(
      db,
      sql`
    select external_userid, userid, tag_id, personal from marks where corp_id = ${corpId} and external_userid = any(${ids}) order by external_userid, userid, tag_id`,
    ),
  );
  const events = groupBy(
    await queryRows<EventRow>(
      db,
      sql`
    select external_userid, type, target, ${ms('occurred_at')} as at_ms from customer_events
    where corp_id = ${corpId} and external_userid = any(${ids}) order by external_userid, occurred_at, id`,
    ),
  );
  const chats = groupBy(
    await queryRows<ChatRow>(
      db,
      sql`
    select gm.member_id as external_userid, gm.chat_id, g.name, ${ms('gm.join_time')} as join_ms
    from group_chat_members gm left join group_chats g on g.corp_id = gm.corp_id and g.chat_id = gm.chat_id
    where gm.corp_id = ${corpId} and gm.type = 2 and gm.member_id = any(${ids}) order by gm.member_id, gm.join_time, gm.chat_id`,
    ),
  );
  // The department tree is read only when some customer takes its region from its followers.
  const departments = new Map<number, Department>();
  if (customers.some((c) => c.own_region === '')) {
    for (const d of await queryRows<{ dept_id: number; parent_id: number; region: string | null }>(
      db,
      sql`select dept_id, parent_id, region from departments where corp_id = ${corpId}`,
    )) {
      departments.set(Number(d.dept_id), { parentId: Number(d.parent_id), region: d.region });
    }
  }
  for (const c of customers) {
    const carried = (marks.get(c.external_userid) ?? []).filter(
      (m) => Number(m.personal) === 0 || (opts.personalOwner !== undefined && m.userid === opts.personalOwner),
    );
    const relations: FollowFact[] = (follows.get(c.external_userid) ?? []).map((f) => ({
      userid: f.userid,
      departmentIds: f.department_ids.map(Number),
      addTime: new Date(Number(f.add_ms)),
      addWay: Number(f.add_way),
      state: f.state,
      tags: carried.filter((m) => m.userid === f.userid).map((m) => m.tag_id),
    }));
    const regions =
      c.own_region !== ''
        ? [c.own_region]
        : [...new Set(relations.flatMap((r) => r.departmentIds.map((d) => effectiveRegionOf(departments, d)).filter((r) => r !== null)))].sort();
    const happened: EventFact[] = (events.get(c.external_userid) ?? []).map((e) => ({ type: e.type, target: e.target, at: new Date(Number(e.at_ms)) }));
    const attributes =
      typeof c.attributes === 'object' && c.attributes !== null && !Array.isArray(c.attributes) ? (c.attributes as Record<string, unknown>) : {};
    const inChats: ChatFact[] = (chats.get(c.external_userid) ?? []).map((m) => ({
      chatId: m.chat_id,
      ...(m.name ? { name: m.name } : {}),
      joinTime: new Date(Number(m.join_ms)),
    }));
    facts.set(
      c.external_userid,
      // Marks whose relation is gone still count, as in SQL: "has tag T" is "a marks row exists".
      factsInContext(ctx, {
        tags: carried.map((m) => m.tag_id),
        follows: relations,
        province: c.province,
        city: c.city,
        regions,
        gender: Number(c.gender),
        company: c.corp_name,
        attributes,
        events: happened,
        chats: inChats,
      }),
    );
  }
  return facts;
}

/**
 * One customer's facts read from the database, for `evaluate` and `explain` ("why is this customer
 * in / out") and as the other side of the SQL compiler's tests. Undefined for an unknown customer.
 */
export async function loadCustomerFacts(
  db: Db,
  corpId: string,
  externalUserid: string,
  ctx: EvalContext,
  opts: { personalOwner?: string } = {},
): Promise<CustomerFacts | undefined> {
  return (await loadCustomersFacts(db, corpId, [externalUserid], ctx, opts)).get(externalUserid);
}

/** One customer's own facts, before the evaluation context is added. */
export type OwnFacts = Pick<CustomerFacts, 'follows' | 'province' | 'city' | 'gender' | 'company' | 'attributes' | 'events'> & {
  tags: string[];
  regions: string[];
  chats?: readonly ChatFact[];
};

/**
 * Facts in an evaluation context: the clock, zone, tag → group map and department tree from `ctx`;
 * `region` is the first of `regions` (a customer without an own region may be in several).
 */
export function factsInContext(ctx: EvalContext, own: OwnFacts): CustomerFacts {
  return customerFacts({
    now: ctx.now,
    ...(ctx.utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: ctx.utcOffsetMinutes }),
    tagGroups: ctx.tagGroups,
    departmentParents: ctx.departmentParents,
    ...own,
    region: own.regions[0] ?? '',
  });
}
