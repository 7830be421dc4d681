import { and, eq, inArray } from 'drizzle-orm';
import type { TxCtx } from '../../../../context.js';
import { customers, employees, groupChatMembers } from '../../../../db/schema/index.js';
import { dismissGroupChat } from '../../../group-chats/commands/dismiss-group-chat.js';
import { recordChatJoin } from '../../../group-chats/commands/record-chat-join.js';
import { recordChatLeave } from '../../../group-chats/commands/record-chat-leave.js';
import { saveGroupChat } from '../../../group-chats/commands/save-group-chat.js';
import { lockChatIfAny } from '../../../group-chats/group-chats.repo.js';

/** `groupchat/get`'s `group_chat`, the fields this sync reads (wecom-api.md §6.4). */
export type RemoteGroupChat = {
  chat_id: string;
  name?: string;
  owner: string;
  create_time?: number;
  notice?: string;
  admin_list?: { userid: string }[];
  member_list?: {
    userid: string;
    type: number;
    unionid?: string;
    join_time?: number;
    join_scene?: number;
    invitor?: { userid?: string };
    group_nickname?: string;
    name?: string;
    state?: string;
  }[];
};

const seconds = (n: number | undefined) => new Date((n ?? 0) * 1000);

/**
 * Makes our copy of a chat what WeCom's `groupchat/get` says: the chat saved (upsert), members in
 * WeCom and not here joined (a member re-joined at a new time joins again), members here and not
 * in WeCom left. Members we cannot place — a customer nobody here follows, an unknown employee, an
 * admin not on staff — are skipped (counted), since a chat may hold people outside the corp's data.
 */
export async function syncGroupChat(ctx: TxCtx, remote: RemoteGroupChat): Promise<{ joined: number; left: number; skipped: number }> {
  const members = remote.member_list ?? [];
  const externalIds = members.filter((m) => m.type === 2).map((m) => m.userid);
  const staffIds = [remote.owner, ...members.filter((m) => m.type !== 2).map((m) => m.userid), ...(remote.admin_list ?? []).map((a) => a.userid)];
  const knownCustomers = new Set(
    externalIds.length === 0
      ? []
      : (
          await ctx.tx
            .select({ id: customers.externalUserid })
            .from(customers)
            .where(and(eq(customers.corpId, ctx.corpId), inArray(customers.externalUserid, externalIds)))
        ).map((r) => r.id),
  );
  const knownStaff = new Set(
    (
      await ctx.tx
        .select({ id: employees.userid })
        .from(employees)
        .where(and(eq(employees.corpId, ctx.corpId), inArray(employees.userid, staffIds)))
    ).map((r) => r.id),
  );
  const admins = (remote.admin_list ?? []).map((a) => a.userid).filter((id) => knownStaff.has(id));
  await saveGroupChat(ctx, {
    mode: 'upsert',
    chatId: remote.chat_id,
    owner: remote.owner,
    name: remote.name ?? '',
    notice: remote.notice ?? '',
    adminList: admins,
    createTime: remote.create_time ? seconds(remote.create_time) : undefined,
  });
  const here = await ctx.tx
    .select({ memberId: groupChatMembers.memberId })
    .from(groupChatMembers)
    .where(and(eq(groupChatMembers.corpId, ctx.corpId), eq(groupChatMembers.chatId, remote.chat_id)));
  let joined = 0;
  let skipped = 0;
  for (const m of members) {
    const external = m.type === 2;
    if (external ? !knownCustomers.has(m.userid) : !knownStaff.has(m.userid)) {
      skipped++;
      continue;
    }
    const invitor = m.invitor?.userid && knownStaff.has(m.invitor.userid) ? m.invitor.userid : undefined;
    const scene = m.join_scene === 2 || m.join_scene === 3 ? m.join_scene : 1;
    const result = await recordChatJoin(ctx, {
      chatId: remote.chat_id,
      member: external ? { externalUserid: m.userid } : { userid: m.userid },
      joinTime: seconds(m.join_time),
      joinScene: scene,
      state: m.state?.slice(0, 30),
      invitor,
      groupNickname: m.group_nickname,
      name: m.name,
      unionid: m.unionid,
    });
    if (!result.repeated) joined++;
  }
  const inRemote = new Set(members.map((m) => m.userid));
  let left = 0;
  for (const m of here) {
    if (inRemote.has(m.memberId)) continue;
    await recordChatLeave(ctx, { chatId: remote.chat_id, memberId: m.memberId });
    left++;
  }
  return { joined, left, skipped };
}

/** Dismisses our copy of a chat WeCom dismissed; a chat we never had is nothing to do. */
export async function syncDismissedChat(ctx: TxCtx, chatId: string): Promise<boolean> {
  if (!(await lockChatIfAny(ctx, chatId))) return false;
  await dismissGroupChat(ctx, { chatId });
  return true;
}
