import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../context.js';
import { groupChatJoinWays } from '../../db/schema/index.js';
import { AppError, type ErrorDetail } from '../../errors.js';
import { nameLength } from '../../names/name-policy.js';
import type { Policy } from '../../policies/index.js';
import { loadChat } from './group-chats.repo.js';

/** WeCom's limits on a join way (wecom-api.md §6.4): up to 5 chats, a `state` of at most 30 characters. */
export const joinWayLimits = { chats: 5, state: 30, remark: 30, roomBaseName: 40 } as const;

/** A join way's settings, as both surfaces hand them to the commands. */
export type JoinWayInput = {
  scene: 1 | 2;
  remark: string;
  autoCreateRoom: 0 | 1;
  roomBaseName: string;
  roomBaseId: number;
  chatIdList: string[];
  state: string;
};

/** A stored join way. */
export type JoinWayRow = typeof groupChatJoinWays.$inferSelect;

/**
 * Checks a join way against WeCom's limits and the actor's reach: 1–5 distinct chats, each one the
 * actor sees; `state`, `remark` and `room_base_name` within their lengths (counted as a person
 * counts characters). Every problem is named at once; nothing is written before this passes.
 */
export async function checkJoinWay(ctx: TxCtx, policy: Policy, input: JoinWayInput): Promise<void> {
  const problems: ErrorDetail[] = [];
  const tooLong = (field: string, value: string, max: number) => {
    if (nameLength(value) > max) problems.push({ path: field, message: `longer than ${max} characters` });
  };
  tooLong('state', input.state, joinWayLimits.state);
  tooLong('remark', input.remark, joinWayLimits.remark);
  tooLong('room_base_name', input.roomBaseName, joinWayLimits.roomBaseName);
  if (input.chatIdList.length === 0) problems.push({ path: 'chat_id_list', message: 'at least one chat is required' });
  if (input.chatIdList.length > joinWayLimits.chats) problems.push({ path: 'chat_id_list', message: `at most ${joinWayLimits.chats} chats` });
  if (new Set(input.chatIdList).size !== input.chatIdList.length) problems.push({ path: 'chat_id_list', message: 'a chat is listed twice' });
  if (problems.length > 0)
    throw new AppError('validation_failed', { message: `invalid parameter ${problems[0]!.path}: ${problems[0]!.message}`, details: problems });
  for (const chatId of input.chatIdList) await loadChat(ctx, policy, 'customer.view', chatId);
}

/** Loads a join way for a change, locked; unknown is `join_way_not_found`. */
export async function lockJoinWay(ctx: TxCtx, configId: string): Promise<JoinWayRow> {
  const [row] = await ctx.tx
    .select()
    .from(groupChatJoinWays)
    .where(and(eq(groupChatJoinWays.corpId, ctx.corpId), eq(groupChatJoinWays.configId, configId)))
    .for('update');
  if (!row)
    throw new AppError('join_way_not_found', { message: `No join way with config_id "${configId}".`, details: [{ path: 'config_id', message: 'unknown' }] });
  return row;
}

/** What the audit log keeps of a join way. */
export const joinWaySnapshot = (w: JoinWayRow) => ({
  scene: w.scene,
  remark: w.remark,
  autoCreateRoom: w.autoCreateRoom,
  roomBaseName: w.roomBaseName,
  roomBaseId: w.roomBaseId,
  chatIdList: w.chatIdList,
  state: w.state,
});

/** The link a scene-2 join way's QR code carries; "" for a mini-program button (scene 1). */
export function joinWayLink(w: JoinWayRow): string {
  return w.scene === 2 ? `tagloom://join-way/${w.configId}` : '';
}
