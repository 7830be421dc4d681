import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { LoginResult, Me } from '../../../contracts/auth.js';
import { api } from './client.js';

/** The logged-in user with their abilities. */
export type MeDto = z.infer<typeof Me>;

/** `GET /auth/me`: who is logged in (null when nobody is). */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await api<MeDto>('GET', '/auth/me');
      } catch (error) {
        if ((error as { status?: number }).status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** Logs in with corp, userid and password; the server sets the session cookie. */
export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { corpId: string; username: string; password: string }) => api<z.infer<typeof LoginResult>>('POST', '/auth/login', body),
    onSuccess: (result) => {
      client.clear();
      client.setQueryData(['me'], result.user);
    },
  });
}

/** Ends the session and forgets everything cached for it. */
export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('POST', '/auth/logout'),
    onSettled: () => {
      client.clear();
      client.setQueryData(['me'], null);
    },
  });
}

/** Whether the user may do `permission` (from the abilities `/auth/me` answers). */
export function can(me: MeDto | null | undefined, permission: string): boolean {
  return me?.abilities?.[permission] === true;
}
