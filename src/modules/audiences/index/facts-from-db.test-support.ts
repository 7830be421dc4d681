import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/client.js';
import type { EvalContext } from '../context.js';
import type { CustomerFacts } from '../expression/facts.js';
import { type DepartmentRegion, effectiveRegionOf } from '../regions.js';
import { factsInContext } from '../sql/facts.js';

// Test-only: every customer's facts read plainly from the tables, one query per table and no
// index code, so the bitmap evaluator can be checked against `evaluate` customer by customer.

type Department = DepartmentRegion;

// Whole milliseconds, floored: a window bound is a whole millisecond, so a stored microsecond
// compares with it as its floor does, on either driver.
const ms = (column: string) => sql.raw(`floor(extract(epoch from ${column}) * 1000)::float8`);

/** The department tree as the evaluation context wants it (id → parent id). */
export async function departmentParentsFromDb(db: Db, corpId: string): Promise<Map<number, number>> {
  const rows = await queryRows<{ dept_id: number; parent_id: number }>(db, sql`select dept_id, parent_id from departments where corp_id = ${corpId}`);
  return new Map(rows.map((r) => [Number(r.dept_id), Number(r.parent_id)]));
}

/**
 * Every customer of the corp as `CustomerFacts`, by seq: relations with their marks as tags and
 * their followers' departments, every mark's tag (personal ones too: the caller is the owner),
 * custom attributes, behaviour events, customer group chat memberships, and regions (its own `attributes.region` when set, else
 * each region of its followers' departments).
 */
export async function factsFromDb(db: Db, corpId: string, ctx: EvalContext): Promise<Map<number, CustomerFacts>> {
  const customers = await queryRows<{
    seq: number;
    external_userid: string;
    gender: number;
    province: string;
    city: string;
    corp_name: string;
    attributes: unknown;
    own_region: string | null;
  }>(
    db,
    sql`
    select seq::int4 as seq, external_userid, gender, province, city, corp_name, attributes, attributes->>'region' as own_region from customers where corp_id = ${corpId}`,
  );
  const follows = await queryRows<{ external_userid: string; userid: string; add_ms: number; add_way: number; state: string; department_ids: number[] | null }>(
    db,
    sql`
    select f.external_userid, f.userid, ${ms('f.add_time')} as add_ms, f.add_way, f.state, e.department_ids
    from follows f left join employees e on e.corp_id = f.corp_id and e.userid = f.userid where f.corp_id = ${corpId}`,
  );
  const marks = await queryRows<{ external_userid: string; userid: string; tag_id: string }>(
    db,
    sql`select external_userid, userid, tag_id from marks where corp_id = ${corpId}`,
  );
  const events = await queryRows<{ external_userid: string; type: string; target: string; at_ms: number }>(
    db,
    sql`
    select external_userid, type, target, ${ms('occurred_at')} as at_ms from customer_events where corp_id = ${corpId}`,
  );
  const members = await queryRows<{ member_id: string; chat_id: string; join_ms: number }>(
    db,
    sql`select member_id, chat_id, ${ms('join_time')} as join_ms from group_chat_members where corp_id = ${corpId} and type = 2`,
  );
  const departments = new Map<number, Department>();
  for (const d of await queryRows<{ dept_id: number; parent_id: number; region: string | null }>(
    db,
    sql`select dept_id, parent_id, region from departments where corp_id = ${corpId}`,
  )) {
    departments.set(Number(d.dept_id), { parentId: Number(d.parent_id), region: d.region });
  }
  const out = new Map<number, CustomerFacts>();
  for (const c of customers) {
    const ext = c.external_userid;
    const relations = follows
      .filter((f) => f.external_userid === ext)
      .map((f) => ({
        userid: f.userid,
        departmentIds: (f.department_ids ?? []).map(Number),
        addTime: new Date(Number(f.add_ms)),
        addWay: Number(f.add_way),
        state: f.state,
        tags: marks.filter((m) => m.external_userid === ext && m.userid === f.userid).map((m) => m.tag_id),
      }));
    const own = c.own_region ?? '';
    const regions =
      own !== ''
        ? [own]
        : [...new Set(relations.flatMap((r) => r.departmentIds.map((d) => effectiveRegionOf(departments, d)).filter((r): r is string => r !== null)))];
    const attributes =
      typeof c.attributes === 'object' && c.attributes !== null && !Array.isArray(c.attributes) ? (c.attributes as Record<string, unknown>) : {};
    out.set(
      Number(c.seq),
      // A mark whose relation is gone still gives the customer the tag: "has T" = a marks row exists.
      factsInContext(ctx, {
        tags: marks.filter((m) => m.external_userid === ext).map((m) => m.tag_id),
        follows: relations,
        province: c.province,
        city: c.city,
        regions,
        gender: Number(c.gender),
        company: c.corp_name,
        attributes,
        events: events.filter((e) => e.external_userid === ext).map((e) => ({ type: e.type, target: e.target, at: new Date(Number(e.at_ms)) })),
        chats: members.filter((m) => m.member_id === ext).map((m) => ({ chatId: m.chat_id, joinTime: new Date(Number(m.join_ms)) })),
      }),
    );
  }
  return out;
}
