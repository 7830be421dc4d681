import { type SQL, sql } from 'drizzle-orm';
import type { EventPredicate, GroupChatPredicate, Leaf } from '../../../../contracts/audience-expression/ast.js';
import { defaultUtcOffsetMinutes, type Interval } from '../../../../contracts/audience-expression/time.js';
import { windowInterval } from '../../../../contracts/audience-expression/window.js';
import type { EvalContext } from '../context.js';
import { groupTags } from '../expression/match.js';
import { attrPredicate } from './attr.js';

// Every leaf is a boolean that is never NULL, so `not` over it is exact. Customer rows are `c`;
// subqueries correlate on c.external_userid and filter the corp by parameter, which keeps them on
// the (corp_id, external_userid, …) indexes or lets PostgreSQL turn them into semi / anti joins.

const texts = (values: readonly string[]) => sql`${sql.param([...values])}::text[]`;
const ints = (values: readonly number[]) => sql`${sql.param([...values])}::int4[]`;
const at = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;

// Some follow relation of the customer satisfies `cond` (over `f`, and `emp` when joined).
function someRelation(corpId: string, cond: SQL, withEmployee = false): SQL {
  const employee = withEmployee ? sql` join employees emp on emp.corp_id = f.corp_id and emp.userid = f.userid` : sql``;
  return sql`exists (select 1 from follows f${employee} where f.corp_id = ${corpId} and f.external_userid = c.external_userid and ${cond})`;
}

function hasTags(corpId: string, tagIds: readonly string[]): SQL {
  if (tagIds.length === 0) return sql`false`;
  const which = tagIds.length === 1 ? sql`m.tag_id = ${tagIds[0]}::text` : sql`m.tag_id = any(${texts(tagIds)})`;
  return sql`exists (select 1 from marks m where m.corp_id = ${corpId} and m.external_userid = c.external_userid and ${which})`;
}

// `column >= start and column < end`, an open side left out.
function within(column: SQL, span: Interval): SQL {
  const parts = [
    Number.isFinite(span.start) ? sql`${column} >= ${at(span.start)}` : undefined,
    Number.isFinite(span.end) ? sql`${column} < ${at(span.end)}` : undefined,
  ].filter((p) => p !== undefined);
  return parts.length === 0 ? sql`true` : sql.join(parts, sql` and `);
}

// The departments whose region (own, else the nearest ancestor's, as corp-index.ts
// `effectiveRegion` reads it: an empty region inherits, 64 levels at most) is one of `regions`.
function departmentsIn(corpId: string, regions: readonly string[]): SQL {
  return sql`(with recursive up(dept_id, cur, depth) as (
      select d.dept_id, d.dept_id, 0 from departments d where d.corp_id = ${corpId}
      union all
      select up.dept_id, p.parent_id, up.depth + 1 from up join departments p on p.corp_id = ${corpId} and p.dept_id = up.cur
      where coalesce(p.region, '') = '' and up.depth < 63)
    select coalesce(array_agg(up.dept_id), '{}')::int4[] from up join departments d on d.corp_id = ${corpId} and d.dept_id = up.cur
    where d.region = any(${texts(regions)}))`;
}

/**
 * The region leaf, as the index's `regionBitmap`: the customer's own `attributes.region` is one of
 * them, or it has no own region and a follower's department lies in one of them. An empty region
 * names no customer.
 */
function inRegion(corpId: string, wanted: readonly string[]): SQL {
  const regions = wanted.filter((r) => r !== '');
  if (regions.length === 0) return sql`false`;
  const own = sql`coalesce(c.attributes ->> 'region', '')`;
  return sql`(${own} = any(${texts(regions)}) or (${own} = '' and ${someRelation(corpId, sql`emp.department_ids && ${departmentsIn(corpId, regions)}`, true)}))`;
}

// The departments `dept:N` / `dept:N+` names: N, and for a subtree every department of the tree
// whose ancestors include N (the same bounded walk as match.ts, so a cyclic tree cannot hang).
function departmentIds(leaf: { id: number; subtree: boolean }[], parents: ReadonlyMap<number, number>): number[] {
  const ids = new Set<number>();
  for (const d of leaf) {
    ids.add(d.id);
    if (!d.subtree) continue;
    for (const dept of parents.keys()) {
      for (let x: number | undefined = dept, steps = 0; x !== undefined && steps < 256; x = parents.get(x), steps += 1) {
        if (x === d.id) {
          ids.add(dept);
          break;
        }
      }
    }
  }
  return [...ids].sort((a, b) => a - b);
}

// Counts compare through customers that have more than / at least n matching events, grouped
// once: at the top of a query PostgreSQL joins that set by hash (semi or anti join), and under
// or / not it probes it per customer by index. count=0 and count<=n thus also hold with no events.
function eventPredicate(corpId: string, e: EventPredicate, ctx: EvalContext): SQL {
  const span = e.window ? windowInterval(e.window, ctx.now.getTime(), ctx.utcOffsetMinutes ?? defaultUtcOffsetMinutes) : { start: -Infinity, end: Infinity };
  const target = e.target === undefined ? sql`` : sql` and ev.target = ${e.target}::text`;
  const rows = sql`from customer_events ev where ev.corp_id = ${corpId} and ev.type = ${e.type}::text${target} and ${within(sql`ev.occurred_at`, span)}`;
  const some = sql`exists (select 1 ${rows} and ev.external_userid = c.external_userid)`;
  const counted = (having: SQL) =>
    sql`exists (select 1 from (select ev.external_userid ${rows} group by ev.external_userid having ${having}) g where g.external_userid = c.external_userid)`;
  const { op, n } = e.count ?? { op: 'gte', n: 1 };
  if (op === 'gte') return n <= 0 ? sql`true` : n === 1 ? some : counted(sql`count(*) >= ${n}::int8`);
  if (op === 'lte') return n === 0 ? sql`not ${some}` : sql`not ${counted(sql`count(*) > ${n}::int8`)}`;
  return n === 0 ? sql`not ${some}` : counted(sql`count(*) = ${n}::int8`);
}

// A customer's membership of a chat now (customer members are type 2, keyed by external_userid),
// joined within the window; the (corp_id, member_id) index finds a customer's few memberships.
function inGroupChat(corpId: string, g: GroupChatPredicate, ctx: EvalContext): SQL {
  const span = g.window ? windowInterval(g.window, ctx.now.getTime(), ctx.utcOffsetMinutes ?? defaultUtcOffsetMinutes) : { start: -Infinity, end: Infinity };
  const chat = g.id === undefined ? sql`` : sql` and gm.chat_id = ${g.id}::text`;
  return sql`exists (select 1 from group_chat_members gm where gm.corp_id = ${corpId} and gm.member_id = c.external_userid and gm.type = 2${chat} and ${within(sql`gm.join_time`, span)})`;
}

/**
 * One leaf as a boolean over the customer row `c`, never NULL. Relation leaves (source, state,
 * added, follower, dept) hold when some follow relation satisfies them, as in match.ts.
 */
export function leafPredicate(corpId: string, leaf: Leaf, ctx: EvalContext): SQL {
  const offset = ctx.utcOffsetMinutes ?? defaultUtcOffsetMinutes;
  if ('tag' in leaf) return hasTags(corpId, [leaf.tag]);
  if ('group' in leaf) {
    const members = groupTags(ctx.tagGroups, leaf.group.id);
    if (leaf.group.has === 'any') return hasTags(corpId, members);
    if (leaf.group.has === 'none') return sql`not ${hasTags(corpId, members)}`;
    return members.length === 0
      ? sql`true`
      : sql`(${sql.join(
          members.map((t) => hasTags(corpId, [t])),
          sql` and `,
        )})`;
  }
  if ('addWay' in leaf) return someRelation(corpId, sql`f.add_way = any(${ints(leaf.addWay)})`);
  if ('state' in leaf) return someRelation(corpId, sql`f.state = any(${texts(leaf.state)})`);
  if ('follower' in leaf) return someRelation(corpId, sql`f.userid = any(${texts(leaf.follower)})`);
  if ('added' in leaf) return someRelation(corpId, within(sql`f.add_time`, windowInterval(leaf.added, ctx.now.getTime(), offset)));
  if ('department' in leaf) return someRelation(corpId, sql`emp.department_ids && ${ints(departmentIds(leaf.department, ctx.departmentParents))}`, true);
  if ('province' in leaf) return sql`c.province = any(${texts(leaf.province)})`;
  if ('city' in leaf) return sql`c.city = any(${texts(leaf.city)})`;
  if ('region' in leaf) return inRegion(corpId, leaf.region);
  if ('gender' in leaf) return sql`c.gender = any(${ints(leaf.gender)})`;
  if ('company' in leaf)
    return leaf.company.op === 'eq' ? sql`c.corp_name = ${leaf.company.value}::text` : sql`strpos(c.corp_name, ${leaf.company.value}::text) > 0`;
  if ('attr' in leaf) return attrPredicate(leaf.attr, offset);
  if ('groupChat' in leaf) return inGroupChat(corpId, leaf.groupChat, ctx);
  return eventPredicate(corpId, leaf.event, ctx);
}
