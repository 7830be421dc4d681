import { z } from 'zod';
import { chars, Id, IdList, Timestamp } from './common.js';

/**
 * Tagging rules (智能打标签): a trigger, conditions on the customer and the triggering event, and
 * tag actions. Shared by the server (validation at save time) and the console (the rule editor).
 */

/** Limits a rule definition is held to; the server refuses anything beyond them naming the field. */
export const ruleLimits = {
  nameMax: 64,
  keywordsMax: 200,
  keywordMax: 30,
  actionsMax: 20,
  tagIdsPerAction: 100,
  listMax: 100,
  filtersMax: 20,
  templateMax: 100,
  rulesPerCorp: 500,
} as const;

/** The timezone a rule's dates and schedules are read in unless it names another. */
export const defaultRuleTimezone = 'Asia/Shanghai';

const text = (max: number) => chars(max).pipe(z.string().min(1));
const list = <T extends z.ZodType>(item: T, max: number = ruleLimits.listMax) => z.array(item).min(1).max(max);

/**
 * A campaign window: the trigger fires only for events at or after `startsAt` and before `endsAt`
 * (end exclusive, so 03-01T00:00+08:00 … 04-01T00:00+08:00 is exactly March in Shanghai).
 */
export const RuleWindow = z
  .strictObject({ startsAt: z.iso.datetime({ offset: true }), endsAt: z.iso.datetime({ offset: true }) })
  .refine((w) => Date.parse(w.endsAt) > Date.parse(w.startsAt), { message: 'endsAt must be after startsAt', path: ['endsAt'] });

/** A behaviour event type as the audience language writes it: `link.clicked`, `live.attended`. */
export const EventTypeName = z
  .string()
  .max(64)
  .regex(/^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/, 'a dotted lowercase event type such as link.clicked');

/** The triggers a rule can start from, told apart by `kind`. */
export const RuleTrigger = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('message.keyword'),
    keywords: list(text(ruleLimits.keywordMax), ruleLimits.keywordsMax),
    match: z.enum(['any', 'all']).default('any'),
    mode: z.enum(['contains', 'exact']).default('contains'),
    threshold: z.strictObject({ count: z.int().min(1).max(1000), withinDays: z.int().min(1).max(365) }).optional(),
  }),
  z.strictObject({ kind: z.literal('customer.added'), contactWayStates: list(text(30)).optional(), window: RuleWindow.optional() }),
  z.strictObject({ kind: z.literal('groupchat.joined'), chatIds: list(Id).optional(), states: list(text(30)).optional(), window: RuleWindow.optional() }),
  z.strictObject({ kind: z.literal('behaviour'), eventType: EventTypeName, target: text(128).optional() }),
  z.strictObject({ kind: z.literal('webhook'), sourceId: Id, eventType: text(64) }),
  z.strictObject({ kind: z.literal('schedule'), cron: z.string().min(1).max(120), timezone: z.string().min(1).max(64).default(defaultRuleTimezone) }),
]);

/** The kinds of trigger, for filters and the console's picker. */
export const triggerKinds = ['message.keyword', 'customer.added', 'groupchat.joined', 'behaviour', 'webhook', 'schedule'] as const;

/** A field name of the triggering event (`state`, `product`, `target`), as filters and templates name them. */
export const FieldName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/, 'a field name: letters, digits and _, at most 32');

/** A filter on the triggering event: a field equals a value, is one of several, or is present. */
export const EventFilter = z.discriminatedUnion('op', [
  z.strictObject({ field: FieldName, op: z.literal('equals'), value: z.string().max(256) }),
  z.strictObject({ field: FieldName, op: z.literal('in'), values: list(z.string().max(256)) }),
  z.strictObject({ field: FieldName, op: z.literal('exists') }),
]);

/** Conditions beside the trigger: an audience (JSON or text, as saved audiences take it) and event filters. */
export const RuleConditions = z
  .strictObject({
    audience: z
      .strictObject({ expression: z.unknown().optional(), text: z.string().min(1).max(100_000).optional() })
      .refine((a) => (a.expression === undefined) !== (a.text === undefined), 'give exactly one of expression and text')
      .optional(),
    filters: z.array(EventFilter).max(ruleLimits.filtersMax).optional(),
  })
  .default({});

/** Where a template's tag lives: an existing group by id, or a group by name (created on first use). */
export const TemplateGroup = z.union([z.strictObject({ groupId: Id }), z.strictObject({ groupName: z.string().min(1).max(64) })]);

/** What a rule does to the customer, told apart by `kind`. */
export const RuleAction = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('add'), tagIds: list(Id, ruleLimits.tagIdsPerAction) }),
  z.strictObject({ kind: z.literal('addTemplate'), group: TemplateGroup, template: z.string().min(1).max(ruleLimits.templateMax) }),
  z.strictObject({ kind: z.literal('remove'), tagIds: list(Id, ruleLimits.tagIdsPerAction) }),
  z.strictObject({ kind: z.literal('move'), groupId: Id, tagId: Id }),
]);

/** A rule's definition as a request gives it: trigger, conditions, actions. */
export const RuleDefinitionInput = z.strictObject({ trigger: RuleTrigger, conditions: RuleConditions, actions: list(RuleAction, ruleLimits.actionsMax) });

/** A stored definition: the audience is kept as the checked JSON expression (by ids). */
export const RuleDefinition = z.object({
  trigger: RuleTrigger,
  conditions: z.object({ audience: z.object({ expression: z.unknown() }).optional(), filters: z.array(EventFilter).optional() }),
  actions: z.array(RuleAction),
});

/** A rule's definition as the server stores and answers it. */
export type RuleDefinition = z.infer<typeof RuleDefinition>;
/** One trigger. */
export type RuleTrigger = z.infer<typeof RuleTrigger>;
/** One action. */
export type RuleAction = z.infer<typeof RuleAction>;
/** One event filter. */
export type EventFilter = z.infer<typeof EventFilter>;

const RuleName = text(ruleLimits.nameMax);

/** `POST /rules`: a new rule (enabled unless `enabled: false`). */
export const CreateRuleBody = z.strictObject({ name: RuleName, enabled: z.boolean().default(true), definition: RuleDefinitionInput });

/** `PATCH /rules/:ruleId`: a new name, a new definition (a new version), or both. */
export const UpdateRuleBody = z
  .strictObject({ name: RuleName.optional(), definition: RuleDefinitionInput.optional() })
  .refine((b) => b.name !== undefined || b.definition !== undefined, 'give name, definition or both');

/** `POST /rules/:ruleId/copy`: the copy's name (default: the original's with a suffix). */
export const CopyRuleBody = z.strictObject({ name: RuleName.optional() }).default({});

/** `:ruleId` in a path. */
export const RuleParams = z.strictObject({ ruleId: Id });

/** `:ruleId/versions/:version` in a path. */
export const RuleVersionParams = z.strictObject({ ruleId: Id, version: z.coerce.number().int().min(1).max(1_000_000) });

/** `GET /rules` filters: name contains `q`, actions touch one of `tagId`, trigger kind, on or off. */
export const ListRulesQuery = z.strictObject({
  q: z.string().max(64).optional(),
  tagId: IdList,
  trigger: z.enum(triggerKinds).optional(),
  enabled: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

/** A version's header: who saved it and when. */
export const RuleVersionHeader = z.object({ version: z.int(), author: z.string(), createdAt: Timestamp });

/** One version of a rule with its definition. */
export const RuleVersion = RuleVersionHeader.extend({ ruleId: z.string(), definition: RuleDefinition });

/** A rule with its current definition; `versions` only on `GET /rules/:ruleId`. */
export const Rule = z.object({
  ruleId: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  triggerKind: z.enum(triggerKinds),
  currentVersion: z.int(),
  createdBy: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  copiedFrom: z.string().nullable(),
  definition: RuleDefinition,
  versions: z.array(RuleVersionHeader).optional(),
});

/** `GET /rules`. */
export const RuleList = z.object({ rules: z.array(Rule) });

/** `POST /rules/schedule-preview`: a cron (5 or 6 fields) and an IANA timezone. */
export const SchedulePreviewBody = z.strictObject({
  cron: z.string().min(1).max(120),
  timezone: z.string().min(1).max(64).default(defaultRuleTimezone),
  from: z.iso.datetime({ offset: true }).optional(),
});

/** The next runs of a schedule, as UTC instants and as wall-clock times in its timezone. */
export const SchedulePreview = z.object({ timezone: z.string(), runs: z.array(z.object({ at: Timestamp, local: z.string() })) });

/** How a rule run ended: it changed marks, found nothing to change, or failed (with `error`). */
export const ruleRunStatuses = ['applied', 'nothing', 'failed'] as const;

/**
 * One run of a rule: the rule's version fired on a page of trigger events (or a schedule's due
 * time) and changed marks under one operation, which `POST /operations/:operationId/undo` takes back.
 */
export const RuleRun = z.object({
  runId: z.string(),
  ruleId: z.string(),
  version: z.int(),
  status: z.enum(ruleRunStatuses),
  dueAt: Timestamp.nullable().meta({ description: 'The schedule time this run is for; null for an event-triggered run.' }),
  events: z.int().meta({ description: 'Trigger events the rule fired on in this run.' }),
  customers: z.int().meta({ description: 'Customers whose marks changed.' }),
  added: z.int(),
  removed: z.int(),
  operationId: z.string().nullable().meta({ description: 'The operation to undo; null when nothing changed.' }),
  undone: z.boolean(),
  error: z.string().nullable().meta({ description: 'Why the run failed, e.g. a template name over the limit.' }),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
});

/** `GET /rules/:ruleId/runs`: newest first. */
export const RuleRunsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(64).optional() });

/** A page of runs. */
export const RuleRunPage = z.object({ runs: z.array(RuleRun), nextCursor: z.string().nullable() });

/**
 * `POST /rules/dry-run`: a draft definition (or, with `ruleId` alone, that rule's current version)
 * against current data and the last `days` of recorded trigger events. Writes nothing.
 */
export const DryRunBody = z
  .strictObject({
    ruleId: Id.optional(),
    definition: RuleDefinitionInput.optional(),
    days: z.int().min(1).max(90).default(7),
    samples: z.int().min(0).max(50).default(10),
  })
  .refine((b) => b.ruleId !== undefined || b.definition !== undefined, 'give definition, ruleId or both');

/** A customer in a dry-run sample. */
export const DryRunCustomer = z.object({ externalUserid: z.string(), name: z.string() });

/** One tag a dry run would put on or take off: how many customers, and a few of them. */
export const DryRunTagChange = z.object({
  tagId: z.string().nullable().meta({ description: 'Null for a template tag that does not exist yet and would be created.' }),
  tagName: z.string(),
  groupName: z.string(),
  customers: z.int(),
  samples: z.array(DryRunCustomer),
});

/** What a rule would do now: who would gain and lose which tag, and why it would not fire elsewhere. */
export const DryRunResult = z.object({
  events: z.int().meta({ description: 'Trigger events of the window read (0 for a schedule).' }),
  fired: z.int().meta({ description: 'Events (or, for a schedule, customers) the rule would fire on.' }),
  truncated: z.boolean().meta({ description: 'True when the window held more events than a dry run reads.' }),
  gains: z.array(DryRunTagChange),
  losses: z.array(DryRunTagChange),
  failures: z.array(z.object({ reason: z.string(), count: z.int() })),
});

/** A dry run's answer. */
export type DryRunResult = z.infer<typeof DryRunResult>;
/** One run of a rule. */
export type RuleRun = z.infer<typeof RuleRun>;
