import { desc, eq, sql } from 'drizzle-orm';
import { type Ctx, reader } from '../../context.js';
import { queryRows } from '../../db/client.js';
import { groupChatJoinWays } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { policyFor, type Reach } from '../../policies/index.js';
import { getJoinWay } from './group-chats.queries.js';
import type { JoinWayRow } from './join-way-rules.js';

/** Every join way of the corp, newest first (`customer.view`, as reading one is). */
export async function listJoinWays(ctx: Ctx): Promise<JoinWayRow[]> {
  (await policyFor(ctx)).authorize('customer.view');
  return reader(ctx)
    .select()
    .from(groupChatJoinWays)
    .where(eq(groupChatJoinWays.corpId, ctx.corpId))
    .orderBy(desc(groupChatJoinWays.createdAt), desc(groupChatJoinWays.configId));
}

/** Someone who joined a chat with a join way's `state`. */
export type JoinArrival = { chatId: string; chatName: string; memberId: string; type: number; name: string; joinTime: Date; joinScene: number };

/** Chats the actor sees (owner in their data scope, as the chat list shows), as an SQL condition on `c.owner`. */
function chatsReached(reach: Reach) {
  return reach === 'all' ? sql`true` : sql`c.owner = any(${sql.param([...reach, ''])}::text[])`;
}

const encodeOffset = (offset: number) => Buffer.from(String(offset), 'utf8').toString('base64url');

/** Reads an offset cursor this API handed out; anything else is `invalid_cursor` naming `cursor`. */
export function decodeOffset(cursor: string | undefined): number {
  if (!cursor) return 0;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const offset = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(offset) || encodeOffset(offset) !== cursor)
    throw new AppError('invalid_cursor', { details: [{ path: 'cursor', message: 'not a cursor this API gave out' }] });
  return offset;
}

/**
 * Who came in through a join way: members (employees and customers) whose join carries its
 * `state`, in chats the actor sees, newest first, a page at a time. A way without a state marks
 * nobody, so it has no arrivals.
 */
export async function joinWayArrivals(
  ctx: Ctx,
  configId: string,
  page: { cursor?: string; limit: number },
): Promise<{ arrivals: JoinArrival[]; total: number; nextCursor: string | null }> {
  const policy = await policyFor(ctx);
  const way = await getJoinWay(ctx, configId);
  const offset = decodeOffset(page.cursor);
  if (way.state === '') return { arrivals: [], total: 0, nextCursor: null };
  const where = sql`m.corp_id = ${ctx.corpId} and m.state = ${way.state} and ${chatsReached(policy.reach)}`;
  const from = sql`from group_chat_members m join group_chats c on c.corp_id = m.corp_id and c.chat_id = m.chat_id`;
  const [count] = await queryRows<{ n: number }>(reader(ctx), sql`select count(*)::int as n ${from} where ${where}`);
  const rows = await queryRows<{
    chat_id: string;
    chat_name: string;
    member_id: string;
    type: number;
    name: string;
    join_time: string | Date;
    join_scene: number;
  }>(
    reader(ctx),
    sql`select m.chat_id, c.name as chat_name, m.member_id, m.type, m.name, m.join_time, m.join_scene ${from} where ${where}
    order by m.join_time desc, m.chat_id, m.member_id offset ${offset} limit ${page.limit + 1}`,
  );
  const arrivals = rows.slice(0, page.limit).map((r) => ({
    chatId: r.chat_id,
    chatName: r.chat_name,
    memberId: r.member_id,
    type: Number(r.type),
    name: r.name,
    joinTime: new Date(r.join_time),
    joinScene: Number(r.join_scene),
  }));
  return { arrivals, total: Number(count?.n ?? 0), nextCursor: rows.length > page.limit ? encodeOffset(offset + page.limit) : null };
}
