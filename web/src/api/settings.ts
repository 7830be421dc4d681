import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ChangePasswordBody, PasswordChanged } from '../../../contracts/auth.js';
import type { UpdateSettingsBody } from '../../../contracts/settings.js';
import { api } from './client.js';
import type { SettingsDto } from './tags.js';

/**
 * `PATCH /settings`: changes the corp's limits. The answer replaces the cached `['settings']` and
 * the query is refetched, so every name counter measures against the new limit at once.
 */
export function useUpdateSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof UpdateSettingsBody>) => api<SettingsDto>('PATCH', '/settings', body),
    onSuccess: (settings) => client.setQueryData(['settings'], settings),
    onSettled: () => void client.invalidateQueries({ queryKey: ['settings'] }),
  });
}

/** `POST /auth/password`: the logged-in user's own new password; their other sessions end, this one stays. */
export function useChangeOwnPassword() {
  return useMutation({ mutationFn: (body: z.input<typeof ChangePasswordBody>) => api<z.infer<typeof PasswordChanged>>('POST', '/auth/password', body) });
}
