import { and, eq } from 'drizzle-orm';
import { type Ctx, reader, type TxCtx } from '../../context.js';
import { groupChats } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Permission, Policy } from '../../policies/index.js';

/** A stored group chat. */
export type GroupChatRow = typeof groupChats.$inferSelect;

/**
 * Loads a chat the actor may `permission` (its owner in the actor's data scope), locking it when
 * inside a transaction that will change it. A chat out of reach reads as unknown, so the answer
 * does not reveal what exists beyond the actor's scope.
 */
export async function loadChat(ctx: Ctx | TxCtx, policy: Policy, permission: Permission, chatId: string, opts: { lock?: boolean } = {}): Promise<GroupChatRow> {
  const query = reader(ctx)
    .select()
    .from(groupChats)
    .where(and(eq(groupChats.corpId, ctx.corpId), eq(groupChats.chatId, chatId)));
  const [row] = opts.lock ? await query.for('update') : await query;
  if (!row || !policy.can(permission, { type: 'employee', userid: row.owner })) {
    throw new AppError('chat_not_found', { message: `No group chat with chat_id "${chatId}".`, details: [{ path: 'chat_id', message: 'unknown' }] });
  }
  return row;
}

/** The chat with this id whoever owns it, locked for a change; the caller authorizes. */
export async function lockChatIfAny(ctx: TxCtx, chatId: string): Promise<GroupChatRow | undefined> {
  const [row] = await ctx.tx
    .select()
    .from(groupChats)
    .where(and(eq(groupChats.corpId, ctx.corpId), eq(groupChats.chatId, chatId)))
    .for('update');
  return row;
}
