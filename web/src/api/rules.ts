import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ContactWayList } from '../../../contracts/contact-ways.js';
import type { GroupChatList } from '../../../contracts/group-chats.js';
import type {
  CreateRuleBody,
  DryRunBody,
  DryRunResult,
  Rule,
  RuleList,
  RuleRun,
  RuleRunPage,
  RuleVersion,
  SchedulePreview,
  triggerKinds,
  UpdateRuleBody,
} from '../../../contracts/rules.js';
import type { UndoResponse } from '../../../contracts/undo.js';
import type { WebhookSourceList } from '../../../contracts/webhooks.js';
import { ApiError, api } from './client.js';

/** A tagging rule with its current definition (and, read alone, its versions). */
export type RuleDto = z.infer<typeof Rule>;
/** One saved version of a rule with its definition. */
export type RuleVersionDto = z.infer<typeof RuleVersion>;
/** One run of a rule. */
export type RuleRunDto = z.infer<typeof RuleRun>;
/** What a dry run says a definition would do now. */
export type DryRunDto = z.infer<typeof DryRunResult>;
/** The next runs of a schedule. */
export type SchedulePreviewDto = z.infer<typeof SchedulePreview>;
/** A new rule as `POST /rules` takes it. */
export type NewRule = z.input<typeof CreateRuleBody>;
/** A rule's new name and/or definition as `PATCH /rules/:ruleId` takes it. */
export type RuleChanges = z.input<typeof UpdateRuleBody>;
/** One kind of trigger. */
export type TriggerKind = (typeof triggerKinds)[number];
/** The list's filters: name contains `q`, touches `tagId`, starts from `trigger`. */
export type RuleFilters = { q?: string; tagId?: string; trigger?: TriggerKind };

/** The query string of the list's filters, only those given. */
export function ruleSearch(filters: RuleFilters): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** `GET /rules` with the filters; the previous answer stays while a new filter is asked. */
export function useRules(filters: RuleFilters) {
  return useQuery({
    queryKey: ['rules', filters],
    queryFn: async ({ signal }) => (await api<z.infer<typeof RuleList>>('GET', `/rules${ruleSearch(filters)}`, undefined, signal)).rules,
    placeholderData: keepPreviousData,
  });
}

/** `GET /rules/:ruleId`: the rule with its versions' headers. */
export function useRule(ruleId: string | null) {
  return useQuery({ queryKey: ['rule', ruleId], queryFn: () => api<RuleDto>('GET', `/rules/${ruleId}`), enabled: ruleId !== null });
}

/** `GET /rules/:ruleId/versions/:version`: one version's definition. */
export function useRuleVersion(ruleId: string | null, version: number | null) {
  return useQuery({
    queryKey: ['rule-version', ruleId, version],
    queryFn: () => api<RuleVersionDto>('GET', `/rules/${ruleId}/versions/${version}`),
    enabled: ruleId !== null && version !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * `GET /rules/:ruleId/runs`, the newest 50. The route is still being built: while the server has
 * no such route, the answer is `null` ("no run history yet") instead of an error.
 */
export function useRuleRuns(ruleId: string | null) {
  return useQuery({
    queryKey: ['rule-runs', ruleId],
    queryFn: async () => {
      try {
        return (await api<z.infer<typeof RuleRunPage>>('GET', `/rules/${ruleId}/runs?limit=50`)).runs;
      } catch (error) {
        if (missingRoute(error)) return null;
        throw error;
      }
    },
    enabled: ruleId !== null,
  });
}

/** Whether an error is a route the server does not have yet (its "No route …" 404), not a missing rule. */
export function missingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && error.message.startsWith('No route');
}

function useRulesMutation<I, O>(run: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['rules'] });
      void client.invalidateQueries({ queryKey: ['rule'] });
    },
  });
}

/** The rules' writes, each refreshing the list and the open rule after. */
export function useRuleActions() {
  return {
    create: useRulesMutation((body: NewRule) => api<RuleDto>('POST', '/rules', body)),
    update: useRulesMutation(({ ruleId, ...changes }: { ruleId: string } & RuleChanges) => api<RuleDto>('PATCH', `/rules/${ruleId}`, changes)),
    copy: useRulesMutation((ruleId: string) => api<RuleDto>('POST', `/rules/${ruleId}/copy`, {})),
    remove: useRulesMutation((ruleId: string) => api<void>('DELETE', `/rules/${ruleId}`)),
  };
}

/**
 * Switches a rule on or off at once in every listed page of rules (optimistic), and puts the old
 * state back if the server refuses; the list is read again either way.
 */
export function useToggleRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { ruleId: string; enabled: boolean }) => api<RuleDto>('POST', `/rules/${input.ruleId}/${input.enabled ? 'enable' : 'pause'}`),
    onMutate: async ({ ruleId, enabled }) => {
      await client.cancelQueries({ queryKey: ['rules'] });
      const before = client.getQueriesData<RuleDto[]>({ queryKey: ['rules'] });
      client.setQueriesData<RuleDto[]>({ queryKey: ['rules'] }, (rules) => rules?.map((r) => (r.ruleId === ruleId ? { ...r, enabled } : r)));
      return { before };
    },
    onError: (_error, _input, context) => {
      for (const [key, rules] of context?.before ?? []) client.setQueryData(key, rules);
    },
    onSettled: () => void client.invalidateQueries({ queryKey: ['rules'] }),
  });
}

/** `POST /rules/schedule-preview` for a cron and timezone; nothing is asked while `cron` is empty. */
export function useSchedulePreview(cron: string, timezone: string) {
  return useQuery({
    queryKey: ['schedule-preview', cron, timezone],
    queryFn: ({ signal }) => api<SchedulePreviewDto>('POST', '/rules/schedule-preview', { cron, timezone }, signal),
    enabled: cron.trim() !== '',
    retry: false,
    staleTime: 30_000,
  });
}

/** `POST /rules/dry-run`: what a draft would do now. A server without the route answers `null`. */
export function useDryRun() {
  return useMutation({
    mutationFn: async (body: z.input<typeof DryRunBody>) => {
      try {
        return await api<DryRunDto>('POST', '/rules/dry-run', body);
      } catch (error) {
        if (missingRoute(error)) return null;
        throw error;
      }
    },
  });
}

/** `POST /operations/:operationId/undo` for a run, refreshing the rule's runs after. */
export function useUndoRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (operationId: string) => api<z.infer<typeof UndoResponse>>('POST', `/operations/${operationId}/undo`),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['rule-runs'] });
      void client.invalidateQueries({ queryKey: ['operations'] });
    },
  });
}

/** The contact ways, for a customer.added trigger's state picker. */
export function useContactWays(enabled: boolean) {
  return useQuery({
    queryKey: ['contact-ways'],
    queryFn: async () => (await api<z.infer<typeof ContactWayList>>('GET', '/contact-ways')).contactWays,
    enabled,
    staleTime: 60_000,
  });
}

/** The first 1000 group chats, for a groupchat.joined trigger's chat picker. */
export function useGroupChats(enabled: boolean) {
  return useQuery({
    queryKey: ['group-chats', 'picker'],
    queryFn: async () => (await api<z.infer<typeof GroupChatList>>('GET', '/group-chats?limit=1000')).chats,
    enabled,
    staleTime: 60_000,
  });
}

/** The webhook sources, for a webhook trigger's source picker. */
export function useWebhookSources(enabled: boolean) {
  return useQuery({
    queryKey: ['webhook-sources'],
    queryFn: async () => (await api<z.infer<typeof WebhookSourceList>>('GET', '/webhook-sources')).sources,
    enabled,
    staleTime: 60_000,
  });
}
