import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { type Ctx, reader } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { tagGroups } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { type Policy, policyFor, type Reach } from '../../../policies/index.js';

/** A suppression with what the list shows beside it: the group's and customer's names, the posts' texts. */
export type SuppressionRow = {
  groupId: string;
  groupName: string;
  externalUserid: string;
  name: string;
  since: Date;
  momentIds: string[];
  texts: Map<string, string>;
};

/** The live tag groups the actor may see, by id with their names. */
export async function visibleGroups(ctx: Ctx, policy: Policy): Promise<Map<string, string>> {
  const rows = await reader(ctx)
    .select({ groupId: tagGroups.groupId, name: tagGroups.name, kind: tagGroups.kind, scope: tagGroups.scope, strategyId: tagGroups.strategyId })
    .from(tagGroups)
    .where(and(eq(tagGroups.corpId, ctx.corpId), isNull(tagGroups.deletedAt)));
  return new Map(rows.filter((g) => policy.canSeeGroup(g)).map((g) => [g.groupId, g.name]));
}

/** Customers the actor reaches, as an SQL condition on `s.external_userid`: one of their followers is within the actor's data scope. */
function reachedCustomer(reach: Reach): SQL {
  if (reach === 'all') return sql`true`;
  return sql`exists (select 1 from follows f where f.corp_id = s.corp_id and f.external_userid = s.external_userid and f.userid = any(${sql.param([...reach])}::text[]))`;
}

type Cursor = { at: string; groupId: string; externalUserid: string };
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify([c.at, c.groupId, c.externalUserid]), 'utf8').toString('base64url');

function decodeCursor(cursor: string): Cursor {
  try {
    const [at, groupId, externalUserid] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && !Number.isNaN(Date.parse(at)) && typeof groupId === 'string' && typeof externalUserid === 'string')
      return { at, groupId, externalUserid };
  } catch {
    // falls through to the refusal below
  }
  throw new AppError('invalid_cursor', { details: [{ path: 'querystring.cursor', message: 'not a cursor this API gave out' }] });
}

/**
 * The customers currently kept off tag groups' posts, newest first, a page at a time: only groups
 * the actor may see and customers within their reach (`moment.publish` required). Each comes
 * with the posts that put them there and those posts' texts, for the explanation.
 */
export async function listSuppressions(
  ctx: Ctx,
  opts: { groupId?: string; externalUserid?: string; cursor?: string; limit: number },
): Promise<{ suppressions: SuppressionRow[]; nextCursor: string | null }> {
  const policy = await policyFor(ctx);
  policy.authorize('moment.publish');
  const groups = await visibleGroups(ctx, policy);
  const groupIds = opts.groupId === undefined ? [...groups.keys()] : groups.has(opts.groupId) ? [opts.groupId] : [];
  if (groupIds.length === 0) return { suppressions: [], nextCursor: null };
  const after = opts.cursor ? decodeCursor(opts.cursor) : null;
  const rows = await queryRows<{ group_id: string; external_userid: string; name: string | null; since: Date | string; at: string; moment_ids: string[] }>(
    reader(ctx),
    sql`
    select s.group_id, s.external_userid, c.name, s.created_at as since, s.created_at::text as at, s.moment_ids
    from moment_suppressions s
    left join customers c on c.corp_id = s.corp_id and c.external_userid = s.external_userid
    where s.corp_id = ${ctx.corpId} and s.lifted_at is null and s.group_id = any(${sql.param(groupIds)}::text[])
      and ${opts.externalUserid === undefined ? sql`true` : sql`s.external_userid = ${opts.externalUserid}`}
      and ${reachedCustomer(policy.reach)}
      and ${after ? sql`(s.created_at < ${after.at}::timestamptz or (s.created_at = ${after.at}::timestamptz and (s.group_id, s.external_userid) > (${after.groupId}, ${after.externalUserid})))` : sql`true`}
    order by s.created_at desc, s.group_id, s.external_userid
    limit ${opts.limit + 1}`,
  );
  const page = rows.slice(0, opts.limit);
  const texts = await postTexts(ctx, [...new Set(page.flatMap((r) => r.moment_ids))]);
  const last = page[page.length - 1];
  return {
    suppressions: page.map((r) => ({
      groupId: r.group_id,
      groupName: groups.get(r.group_id) ?? '',
      externalUserid: r.external_userid,
      name: r.name ?? '',
      since: new Date(r.since),
      momentIds: r.moment_ids,
      texts,
    })),
    nextCursor: rows.length > opts.limit && last ? encodeCursor({ at: last.at, groupId: last.group_id, externalUserid: last.external_userid }) : null,
  };
}

/** The texts of the named posts (for explanations). */
async function postTexts(ctx: Ctx, momentIds: string[]): Promise<Map<string, string>> {
  if (momentIds.length === 0) return new Map();
  const rows = await queryRows<{ moment_id: string; text: string }>(
    reader(ctx),
    sql`select moment_id, text from moments where corp_id = ${ctx.corpId} and moment_id = any(${sql.param(momentIds)}::text[])`,
  );
  return new Map(rows.map((r) => [r.moment_id, r.text]));
}
