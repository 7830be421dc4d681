import type { z } from 'zod';
import type { EventFilter, RuleAction, RuleDefinition, RuleDefinitionInput, RuleTrigger } from '../../../../contracts/rules.js';
import type { TriggerKind } from '../../api/rules.js';

/** The timezone the console shows campaign windows in, and a schedule's default (contracts' `defaultRuleTimezone`). */
export const shanghai = 'Asia/Shanghai';
const shanghaiOffsetMs = 8 * 3600_000; // Asia/Shanghai keeps UTC+8 all year (no daylight saving).

/**
 * The editor's trigger fields, flat: every kind's fields side by side, so switching the kind back
 * and forth keeps what was typed. Window ends are Shanghai wall-clock times `YYYY-MM-DD HH:mm`.
 */
export type TriggerForm = {
  kind: TriggerKind;
  keywords?: string[];
  match?: 'any' | 'all';
  mode?: 'contains' | 'exact';
  threshold?: boolean;
  thresholdCount?: number;
  thresholdDays?: number;
  contactWayStates?: string[];
  chatIds?: string[];
  states?: string[];
  windowStart?: string;
  windowEnd?: string;
  eventType?: string;
  target?: string;
  sourceId?: string;
  cron?: string;
  timezone?: string;
};

/** One event filter as the editor holds it. */
export type FilterForm = { field?: string; op?: EventFilter['op']; value?: string; values?: string[] };

/** One action as the editor holds it; a template's group is an existing one (`groupId`) or a new name. */
export type ActionForm = {
  kind?: RuleAction['kind'];
  tagIds?: string[];
  groupId?: string;
  tagId?: string;
  template?: string;
  groupMode?: 'existing' | 'new';
  groupName?: string;
};

/** The rule editor's form values (the audience is edited beside the form, by the audience editor). */
export type RuleFormValues = { name: string; trigger: TriggerForm; filters: FilterForm[]; actions: ActionForm[] };

/** A definition as a request sends it. */
export type DefinitionInput = z.input<typeof RuleDefinitionInput>;

/** An ISO instant as Shanghai wall-clock time, `2026-03-01 00:00`. */
export function shanghaiWall(iso: string): string {
  return new Date(Date.parse(iso) + shanghaiOffsetMs).toISOString().slice(0, 16).replace('T', ' ');
}

/** A Shanghai wall-clock time `YYYY-MM-DD HH:mm` as an ISO datetime with its +08:00 offset. */
export function shanghaiIso(wall: string): string {
  return `${wall.trim().replace(' ', 'T')}:00+08:00`;
}

function windowForm(window: { startsAt: string; endsAt: string } | undefined): Pick<TriggerForm, 'windowStart' | 'windowEnd'> {
  return window ? { windowStart: shanghaiWall(window.startsAt), windowEnd: shanghaiWall(window.endsAt) } : {};
}

/** A stored trigger as the editor's fields. */
export function triggerForm(trigger: RuleTrigger): TriggerForm {
  switch (trigger.kind) {
    case 'message.keyword':
      return {
        kind: trigger.kind,
        keywords: trigger.keywords,
        match: trigger.match,
        mode: trigger.mode,
        threshold: trigger.threshold !== undefined,
        thresholdCount: trigger.threshold?.count,
        thresholdDays: trigger.threshold?.withinDays,
      };
    case 'customer.added':
      return { kind: trigger.kind, contactWayStates: trigger.contactWayStates, ...windowForm(trigger.window) };
    case 'groupchat.joined':
      return { kind: trigger.kind, chatIds: trigger.chatIds, states: trigger.states, ...windowForm(trigger.window) };
    case 'behaviour':
      return { kind: trigger.kind, eventType: trigger.eventType, target: trigger.target };
    case 'webhook':
      return { kind: trigger.kind, sourceId: trigger.sourceId, eventType: trigger.eventType };
    case 'schedule':
      return { kind: trigger.kind, cron: trigger.cron, timezone: trigger.timezone };
  }
}

function filterForm(filter: EventFilter): FilterForm {
  if (filter.op === 'equals') return { field: filter.field, op: 'equals', value: filter.value };
  if (filter.op === 'in') return { field: filter.field, op: 'in', values: filter.values };
  return { field: filter.field, op: 'exists' };
}

function actionForm(action: RuleAction): ActionForm {
  switch (action.kind) {
    case 'add':
    case 'remove':
      return { kind: action.kind, tagIds: action.tagIds };
    case 'move':
      return { kind: 'move', groupId: action.groupId, tagId: action.tagId };
    case 'addTemplate':
      return 'groupId' in action.group
        ? { kind: 'addTemplate', template: action.template, groupMode: 'existing', groupId: action.group.groupId }
        : { kind: 'addTemplate', template: action.template, groupMode: 'new', groupName: action.group.groupName };
  }
}

/** A new rule's starting form: a keyword trigger (any keyword, contained) adding tags. */
export function blankForm(): RuleFormValues {
  return {
    name: '',
    trigger: { kind: 'message.keyword', keywords: [], match: 'any', mode: 'contains', timezone: shanghai },
    filters: [],
    actions: [{ kind: 'add', tagIds: [] }],
  };
}

/** A saved rule (or version) as the editor's form values. */
export function formOf(name: string, definition: RuleDefinition): RuleFormValues {
  return {
    name,
    trigger: { timezone: shanghai, match: 'any', mode: 'contains', ...triggerForm(definition.trigger) },
    filters: (definition.conditions.filters ?? []).map(filterForm),
    actions: definition.actions.map(actionForm),
  };
}

const trimmed = (value: string | undefined) => value?.trim() ?? '';
const nonEmpty = (values: string[] | undefined) => {
  const kept = (values ?? []).map((v) => v.trim()).filter((v) => v !== '');
  return kept.length > 0 ? kept : undefined;
};
function windowOf(form: TriggerForm) {
  return form.windowStart && form.windowEnd ? { window: { startsAt: shanghaiIso(form.windowStart), endsAt: shanghaiIso(form.windowEnd) } } : {};
}

/** The editor's trigger fields as the trigger a request sends: only the chosen kind's fields, empty ones left out. */
export function triggerOf(form: TriggerForm): DefinitionInput['trigger'] {
  switch (form.kind) {
    case 'message.keyword':
      return {
        kind: form.kind,
        keywords: nonEmpty(form.keywords) ?? [],
        match: form.match ?? 'any',
        mode: form.mode ?? 'contains',
        ...(form.threshold ? { threshold: { count: form.thresholdCount ?? 1, withinDays: form.thresholdDays ?? 1 } } : {}),
      };
    case 'customer.added': {
      const states = nonEmpty(form.contactWayStates);
      return { kind: form.kind, ...(states ? { contactWayStates: states } : {}), ...windowOf(form) };
    }
    case 'groupchat.joined': {
      const chatIds = nonEmpty(form.chatIds);
      const states = nonEmpty(form.states);
      return { kind: form.kind, ...(chatIds ? { chatIds } : {}), ...(states ? { states } : {}), ...windowOf(form) };
    }
    case 'behaviour':
      return { kind: form.kind, eventType: trimmed(form.eventType), ...(trimmed(form.target) ? { target: trimmed(form.target) } : {}) };
    case 'webhook':
      return { kind: form.kind, sourceId: form.sourceId ?? '', eventType: trimmed(form.eventType) };
    case 'schedule':
      return { kind: form.kind, cron: trimmed(form.cron), timezone: trimmed(form.timezone) || shanghai };
  }
}

function filterOf(form: FilterForm): EventFilter {
  const field = trimmed(form.field);
  if (form.op === 'in') return { field, op: 'in', values: form.values ?? [] };
  if (form.op === 'exists') return { field, op: 'exists' };
  return { field, op: 'equals', value: form.value ?? '' };
}

function actionOf(form: ActionForm): RuleAction {
  switch (form.kind ?? 'add') {
    case 'add':
    case 'remove':
      return { kind: form.kind === 'remove' ? 'remove' : 'add', tagIds: form.tagIds ?? [] };
    case 'move':
      return { kind: 'move', groupId: form.groupId ?? '', tagId: form.tagId ?? '' };
    case 'addTemplate':
      return {
        kind: 'addTemplate',
        template: trimmed(form.template),
        group: form.groupMode === 'new' ? { groupName: trimmed(form.groupName) } : { groupId: form.groupId ?? '' },
      };
  }
}

/**
 * The editor's values (and the audience expression, when one is built) as the definition a request
 * sends. Nothing is dropped to make it valid: the server names what is wrong, on the field.
 */
export function definitionOf(values: RuleFormValues, audience: unknown): DefinitionInput {
  const filters = values.filters.map(filterOf);
  return {
    trigger: triggerOf(values.trigger),
    conditions: { ...(audience !== undefined ? { audience: { expression: audience } } : {}), ...(filters.length > 0 ? { filters } : {}) },
    actions: values.actions.map(actionOf),
  };
}

/**
 * The tags a definition's actions name by id, once each in order, and its template texts;
 * `removed` holds the ids only a remove action names, so the list can tell taking off from putting on.
 */
export function tagsTouched(definition: Pick<RuleDefinition, 'actions'>): { tagIds: string[]; templates: string[]; removed: Set<string> } {
  const tagIds = new Set<string>();
  const put = new Set<string>();
  const templates: string[] = [];
  for (const action of definition.actions) {
    if (action.kind === 'addTemplate') {
      templates.push(action.template);
      continue;
    }
    const ids = action.kind === 'move' ? [action.tagId] : action.tagIds;
    for (const id of ids) {
      tagIds.add(id);
      if (action.kind !== 'remove') put.add(id);
    }
  }
  return { tagIds: [...tagIds], templates, removed: new Set([...tagIds].filter((id) => !put.has(id))) };
}

/** Date placeholders every template may use (as the server's template check lists them). */
export const datePlaceholders = ['yyyy', 'M', 'MM', 'd', 'dd'] as const;

const triggerPlaceholders: Record<TriggerKind, readonly string[] | 'any'> = {
  'message.keyword': ['keyword', 'keywords', 'userid'],
  'customer.added': ['state', 'userid'],
  'groupchat.joined': ['chatId', 'state'],
  behaviour: ['eventType', 'target'],
  webhook: 'any',
  schedule: [],
};

/**
 * The placeholders a template tag may use with a trigger, written `{M}`: the dates, then the
 * trigger's fields. A webhook yields whatever fields its source maps, so `anyField` is true.
 */
export function placeholdersFor(kind: TriggerKind): { placeholders: string[]; anyField: boolean } {
  const fields = triggerPlaceholders[kind];
  return { placeholders: [...datePlaceholders, ...(fields === 'any' ? [] : fields)].map((p) => `{${p}}`), anyField: fields === 'any' };
}

/** A form field's name path, as antd's `form.setFields` takes it. */
export type FieldPath = (string | number)[];

const triggerFieldOf: Record<string, keyof TriggerForm> = {
  'window.startsAt': 'windowStart',
  'window.endsAt': 'windowEnd',
  window: 'windowEnd',
  'threshold.count': 'thresholdCount',
  'threshold.withinDays': 'thresholdDays',
  threshold: 'thresholdCount',
};

/**
 * The editor field a server error's `details[].path` names (`body.definition.trigger.cron` →
 * `trigger.cron`, `body.definition.actions.0.tagIds.1` → `actions.0.tagIds`), or undefined for a
 * path with no field of its own (the audience, the whole body).
 */
export function fieldOfPath(path: string | undefined): FieldPath | undefined {
  if (!path) return undefined;
  const parts = path
    .replace(/^body\./, '')
    .replace(/^definition\./, '')
    .split('.');
  const [head, ...rest] = parts;
  if (head === 'name' && rest.length === 0) return ['name'];
  // schedule-preview names its own body's fields.
  if ((head === 'cron' || head === 'timezone') && rest.length === 0) return ['trigger', head];
  if (head === 'trigger' && rest.length > 0) {
    const two = rest.slice(0, 2).join('.');
    const mapped = triggerFieldOf[two] ?? triggerFieldOf[rest[0] ?? ''];
    return ['trigger', mapped ?? rest[0]!];
  }
  if (head === 'conditions' && rest[0] === 'filters' && rest[1] !== undefined && /^\d+$/.test(rest[1])) {
    const field = rest[2] === 'values' || rest[2] === 'value' || rest[2] === 'field' ? rest[2] : 'field';
    return ['filters', Number(rest[1]), field];
  }
  if (head === 'actions' && rest[0] !== undefined && /^\d+$/.test(rest[0])) {
    const index = Number(rest[0]);
    const field = rest[1] === 'group' ? rest[2] : rest[1];
    const known = ['tagIds', 'groupId', 'tagId', 'template', 'groupName'];
    return ['actions', index, field && known.includes(field) ? field : 'kind'];
  }
  return undefined;
}

/** Whether a server error path is about the audience condition (shown under the audience editor). */
export function isAudiencePath(path: string | undefined): boolean {
  return path?.replace(/^body\./, '').startsWith('definition.conditions.audience') ?? false;
}
