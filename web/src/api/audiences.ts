import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { AudienceExplanation, CreateAudienceBody, UpdateAudienceBody } from '../../../contracts/audiences.js';
import { api } from './client.js';
import type { SavedAudienceDto } from './imports.js';

// The list itself is `useSavedAudiences` (api/imports.ts), which the export card's picker uses too.
export type { SavedAudienceDto };
/** What `POST /audiences/explain` answers: in or out, and the clause tree with evidence. */
export type AudienceExplanationDto = z.infer<typeof AudienceExplanation>;
/** A new audience: name, optional description and the expression. */
export type NewAudience = z.input<typeof CreateAudienceBody>;
/** The fields of a saved audience that may change (left out = unchanged). */
export type AudienceChanges = z.input<typeof UpdateAudienceBody>;

// The same key as the export card's picker, so a change here shows there too.
const listKey = ['audiences'];

function useAudienceMutation<I, O>(run: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: run, onSettled: () => void client.invalidateQueries({ queryKey: listKey }) });
}

/** Saving, editing and deleting saved audiences, each refreshing the list (and its sizes) after. */
export function useAudienceActions() {
  return {
    create: useAudienceMutation((body: NewAudience) => api<SavedAudienceDto>('POST', '/audiences', body)),
    update: useAudienceMutation(({ audienceId, ...changes }: { audienceId: string } & AudienceChanges) =>
      api<SavedAudienceDto>('PATCH', `/audiences/${audienceId}`, changes),
    ),
    remove: useAudienceMutation((audienceId: string) => api<void>('DELETE', `/audiences/${audienceId}`)),
  };
}

/**
 * `POST /audiences/explain` for one customer and an expression (saved or still being edited).
 * The expression's key stands for it in the query key, so an edit asks again and an old answer
 * never shows for a newer rule.
 */
export function useExplanation(exprKey: string | undefined, expression: unknown, externalUserid: string | undefined) {
  return useQuery({
    queryKey: ['audience-explain', exprKey, externalUserid],
    queryFn: () => api<AudienceExplanationDto>('POST', '/audiences/explain', { expression, externalUserid }),
    enabled: exprKey !== undefined && externalUserid !== undefined,
    retry: false,
    staleTime: 10_000,
  });
}
