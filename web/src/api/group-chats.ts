import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { CreateJoinWayBody, GroupChat, GroupChatList, JoinWay, JoinWayArrivals, JoinWayList, UpdateJoinWayBody } from '../../../contracts/group-chats.js';
import { api } from './client.js';

/** A customer group chat (客户群); `members` when one chat is read. */
export type GroupChatDto = z.infer<typeof GroupChat>;
/** A 「加入群聊」 join way (群活码). */
export type JoinWayDto = z.infer<typeof JoinWay>;
/** A page of who joined through a join way. */
export type JoinWayArrivalsDto = z.infer<typeof JoinWayArrivals>;
/** A new join way as the drawer sends it. */
export type NewJoinWay = z.input<typeof CreateJoinWayBody>;
/** Changes to a join way (left out = unchanged). */
export type JoinWayChanges = z.input<typeof UpdateJoinWayBody>;

/** `GET /group-chats`: the first 1000 chats the caller sees (owner in their data scope). */
export function useGroupChats(enabled = true) {
  return useQuery({
    queryKey: ['group-chats'],
    queryFn: async () => (await api<z.infer<typeof GroupChatList>>('GET', '/group-chats?limit=1000')).chats,
    enabled,
  });
}

/** `GET /group-chats/:chatId`: one chat with everyone in it, in join order. */
export function useGroupChat(chatId: string | undefined) {
  return useQuery({
    queryKey: ['group-chats', chatId],
    queryFn: () => api<GroupChatDto>('GET', `/group-chats/${encodeURIComponent(chatId!)}`),
    enabled: !!chatId,
  });
}

/** `GET /join-ways`: every join way, newest first. */
export function useJoinWays(enabled = true) {
  return useQuery({ queryKey: ['join-ways'], queryFn: async () => (await api<z.infer<typeof JoinWayList>>('GET', '/join-ways')).joinWays, enabled });
}

/** `GET /join-ways/:configId/arrivals`: one page (from `cursor`) of who joined through a way. */
export function useJoinWayArrivals(configId: string | undefined, cursor: string | undefined) {
  return useQuery({
    queryKey: ['join-ways', configId, 'arrivals', cursor ?? ''],
    queryFn: () => api<JoinWayArrivalsDto>('GET', `/join-ways/${configId}/arrivals?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    enabled: configId !== undefined,
  });
}

/** Creating, changing and deleting join ways, each refreshing the list after. */
export function useJoinWayActions() {
  const client = useQueryClient();
  const refresh = () => void client.invalidateQueries({ queryKey: ['join-ways'] });
  return {
    create: useMutation({ mutationFn: (body: NewJoinWay) => api<JoinWayDto>('POST', '/join-ways', body), onSettled: refresh }),
    update: useMutation({
      mutationFn: ({ configId, changes }: { configId: string; changes: JoinWayChanges }) => api<JoinWayDto>('PATCH', `/join-ways/${configId}`, changes),
      onSettled: refresh,
    }),
    remove: useMutation({ mutationFn: (configId: string) => api<void>('DELETE', `/join-ways/${configId}`), onSettled: refresh }),
  };
}
