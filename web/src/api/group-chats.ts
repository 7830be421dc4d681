import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { GroupChat, GroupChatList } from '../../../contracts/group-chats.js';
import { api } from './client.js';

/** A customer group chat (客户群) as listed. */
export type GroupChatDto = z.infer<typeof GroupChat>;

/**
 * The group chats the caller sees (owner in their data scope), for pickers: the first 1000 by chat
 * id. A chat past them can still be written by id in the audience text.
 */
export function useGroupChats() {
  return useQuery({
    queryKey: ['group-chats'],
    queryFn: async () => (await api<z.infer<typeof GroupChatList>>('GET', '/group-chats?limit=1000')).chats,
    staleTime: 60_000,
  });
}
