import { z } from 'zod';
import { chars, Id, PositiveInt32, Timestamp } from './common.js';

/**
 * 客户朋友圈 (Moments) on the native API (`/api/v1/moments`): posts with an include and exclude
 * audience, suppression, a frequency cap, quiet hours and best-hour delivery, their deliveries,
 * interactions and analytics. The WeCom-compatible surface (`externalcontact/add_moment_task`…) is
 * mapped onto the same commands.
 */

/** WeCom's limits on a post (wecom-api.md §5). */
export const momentLimits = { textMax: 2000, imagesMax: 9, linkTitleMaxBytes: 64, sendersMax: 10_000, variantsMax: 4 } as const;

const HttpUrl = z
  .string()
  .max(2048)
  .refine((s) => /^https?:\/\/[^\s]+$/i.test(s), 'a URL starting with http:// or https://');

/** A media reference: Tagloom hosts no media, it keeps the id and what a person needs to see it. */
const MediaRef = {
  mediaId: Id.meta({ description: 'The media id from WeCom’s upload (上传附件资源) or your own media store.' }),
  url: HttpUrl.optional().meta({ description: 'Where a person can see it (a thumbnail in the console).' }),
  sizeBytes: z
    .int()
    .min(0)
    .max(10 * 1024 * 1024)
    .optional(),
};

/** One attachment: 9 images, or 1 video, or 1 link per post (WeCom's rule; the server checks the mix). */
export const MomentAttachment = z.discriminatedUnion('msgtype', [
  z.strictObject({
    msgtype: z.literal('image'),
    image: z.strictObject({ ...MediaRef, width: z.int().min(1).max(20_000).optional(), height: z.int().min(1).max(20_000).optional() }),
  }),
  z.strictObject({ msgtype: z.literal('video'), video: z.strictObject({ ...MediaRef, durationSec: z.number().min(0).max(30).optional() }) }),
  z.strictObject({
    msgtype: z.literal('link'),
    link: z.strictObject({
      title: z
        .string()
        .min(1)
        .refine((s) => new TextEncoder().encode(s).length <= momentLimits.linkTitleMaxBytes, 'at most 64 bytes')
        .optional(),
      url: HttpUrl,
      mediaId: Id.meta({ description: 'The cover image.' }),
    }),
  }),
]);
export type MomentAttachment = z.infer<typeof MomentAttachment>;

/** The words and media of a post (or of one of its time-of-day variants). */
export const MomentContent = {
  text: z.string().max(20_000).optional().meta({ description: 'At most 2,000 characters. Text and attachments cannot both be empty.' }),
  attachments: z.array(MomentAttachment).max(9).optional(),
};

/**
 * A time-of-day variant: customers most active between `fromHour` and `toHour` (Asia/Shanghai,
 * `toHour` exclusive; 22→6 wraps midnight) get this content instead of the main one.
 */
export const MomentVariant = z.strictObject({
  label: chars(20)
    .pipe(z.string().min(1))
    .meta({ examples: ['早间版', 'evening'] }),
  fromHour: z.int().min(0).max(23),
  toHour: z.int().min(1).max(24),
  ...MomentContent,
});
export type MomentVariant = z.infer<typeof MomentVariant>;

/** Who is asked to post it: employees and / or departments (with their subtrees), within the author's data scope. Empty = everyone in it. */
export const MomentSenders = z.strictObject({
  userids: z.array(Id).max(momentLimits.sendersMax).default([]),
  departmentIds: z.array(PositiveInt32).max(1000).default([]),
});
export type MomentSenders = z.infer<typeof MomentSenders>;

/** An audience expression as JSON or text (exactly one), as `/audiences/count` takes it. */
export const MomentExpression = z
  .strictObject({ expression: z.unknown().optional(), text: z.string().min(1).max(100_000).optional() })
  .refine((b) => (b.expression === undefined) !== (b.text === undefined), { message: 'give exactly one of expression and text', path: ['expression'] });

/** Include (absent = every customer the senders follow: a broadcast) and exclude (absent = nobody). */
export const MomentAudienceInput = z.strictObject({ include: MomentExpression.optional(), exclude: MomentExpression.optional() });

/** When deliveries are planned: now, at a time, or at each customer's best hour within `withinHours` from `from`. */
export const MomentSchedule = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('now') }),
  z.strictObject({ mode: z.literal('at'), at: Timestamp }),
  z.strictObject({
    mode: z.literal('best_hour'),
    from: Timestamp.optional().meta({ description: 'Start of the window; default now.' }),
    withinHours: z.int().min(1).max(168).default(24),
  }),
]);
export type MomentSchedule = z.infer<typeof MomentSchedule>;

/** `POST /moments`: a post, saved as a draft or scheduled at once (`draft: false`, the default). */
export const CreateMomentBody = z.strictObject({
  ...MomentContent,
  variants: z.array(MomentVariant).max(momentLimits.variantsMax).default([]),
  senders: MomentSenders.default({ userids: [], departmentIds: [] }),
  audience: MomentAudienceInput.default({}),
  schedule: MomentSchedule.default({ mode: 'now' }),
  draft: z.boolean().default(false),
});
export type CreateMomentBody = z.infer<typeof CreateMomentBody>;

/** `PATCH /moments/:momentId`: a draft's fields (a scheduled post is cancelled and copied instead). */
export const UpdateMomentBody = z.strictObject({
  ...MomentContent,
  variants: z.array(MomentVariant).max(momentLimits.variantsMax).optional(),
  senders: MomentSenders.optional(),
  audience: MomentAudienceInput.optional(),
  schedule: MomentSchedule.optional(),
});

/** `POST /moments/preview`: the same fields as a post, counted without saving anything. */
export const PreviewMomentBody = CreateMomentBody.omit({ draft: true });
export type PreviewMomentBody = z.infer<typeof PreviewMomentBody>;

/** `:momentId` in a path. */
export const MomentParams = z.strictObject({ momentId: Id });

/**
 * The audience of a post, reduction by reduction, each counted on what the previous left:
 * `matched` (include, within the author's reach) − `excluded` − `suppressed` − `overCap` −
 * `noSender` (no chosen sender follows them) = `remaining`.
 */
export const MomentCounts = z.object({
  matched: z.int(),
  excluded: z.int(),
  suppressed: z.int(),
  overCap: z.int(),
  noSender: z.int(),
  remaining: z.int(),
});
export type MomentCounts = z.infer<typeof MomentCounts>;

/** Preview answer: the counts in total and per sender, the settings they used, and the time taken. */
export const MomentPreview = z.object({
  counts: MomentCounts,
  bySender: z.array(z.object({ userid: z.string(), name: z.string(), remaining: z.int() })),
  byVariant: z.array(z.object({ variant: z.int().meta({ description: '-1 = the main content' }), label: z.string(), remaining: z.int() })),
  targetGroups: z.array(z.object({ groupId: z.string(), name: z.string() })).meta({
    description: 'Tag groups the include expression targets: their suppression lists apply.',
  }),
  settings: z.object({ weeklyCap: z.int(), notInterestedStreak: z.int(), quietHours: z.object({ start: z.string(), end: z.string() }) }),
  includeText: z.string().nullable(),
  excludeText: z.string().nullable(),
  elapsedMs: z.number(),
});
export type MomentPreview = z.infer<typeof MomentPreview>;

export const MomentStatus = z.enum(['draft', 'scheduled', 'sending', 'sent', 'cancelled']);

/** A post as the API shows it. */
export const Moment = z.object({
  momentId: z.string(),
  status: MomentStatus,
  text: z.string(),
  attachments: z.array(MomentAttachment),
  variants: z.array(MomentVariant),
  senders: z.object({ userids: z.array(z.string()), departmentIds: z.array(z.int()) }),
  audience: z.object({
    include: z.object({ expression: z.unknown(), text: z.string() }).nullable(),
    exclude: z.object({ expression: z.unknown(), text: z.string() }).nullable(),
  }),
  schedule: MomentSchedule,
  targetGroups: z.array(z.object({ groupId: z.string(), name: z.string() })),
  counts: MomentCounts.nullable().meta({ description: 'The audience when it was scheduled (null for a draft).' }),
  deliveries: z.object({ planned: z.int(), sent: z.int(), cancelled: z.int(), firstAt: Timestamp.nullable(), lastAt: Timestamp.nullable() }),
  author: z.string(),
  origin: z.string().meta({ description: 'console, api or wecom-api' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  scheduledAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
  cancelledAt: Timestamp.nullable(),
});
export type MomentDto = z.infer<typeof Moment>;

/** `GET /moments`: newest first, by status and text. */
export const ListMomentsQuery = z.strictObject({
  status: MomentStatus.optional(),
  q: z.string().max(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const MomentList = z.object({ moments: z.array(Moment), nextCursor: z.string().nullable() });

/** One planned delivery: the customer, who sends it, which content, when. */
export const MomentDelivery = z.object({
  externalUserid: z.string(),
  name: z.string(),
  sender: z.string(),
  variant: z.int(),
  plannedAt: Timestamp,
  status: z.enum(['planned', 'sent', 'cancelled']),
  sentAt: Timestamp.nullable(),
});
export const ListDeliveriesQuery = z.strictObject({
  sender: z.string().max(64).optional(),
  status: z.enum(['planned', 'sent', 'cancelled']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const DeliveryList = z.object({ deliveries: z.array(MomentDelivery), nextCursor: z.string().nullable() });

/** What a customer did with a post; stored as the behaviour fact `moment.<kind>` with the post as target. */
export const InteractionKind = z.enum(['viewed', 'liked', 'commented', 'clicked', 'not_interested']);
export type InteractionKind = z.infer<typeof InteractionKind>;

/** `POST /moments/:momentId/interactions`: up to 1,000, recorded all or nothing. */
export const RecordInteractionsBody = z.strictObject({
  interactions: z
    .array(
      z.strictObject({
        externalUserid: Id,
        kind: InteractionKind,
        occurredAt: Timestamp,
        dedupKey: z.string().min(1).max(128).optional(),
      }),
    )
    .min(1)
    .max(1000),
});
export const RecordInteractionsResult = z.object({ recorded: z.int(), duplicates: z.int() });

/** A customer kept off a tag group's posts after N consecutive "not interested", and why. */
export const Suppression = z.object({
  groupId: z.string(),
  groupName: z.string(),
  externalUserid: z.string(),
  name: z.string(),
  since: Timestamp,
  momentIds: z.array(z.string()),
  reason: z.string().meta({ examples: ['not interested on posts mo1, mo2, mo3'] }),
});
export const ListSuppressionsQuery = z.strictObject({
  groupId: z.string().max(64).optional(),
  externalUserid: z.string().max(64).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const SuppressionList = z.object({ suppressions: z.array(Suppression), nextCursor: z.string().nullable() });
export const SuppressionParams = z.strictObject({ groupId: Id, externalUserid: Id });

/** Funnel counts of distinct customers. */
export const Funnel = z.object({
  targeted: z.int(),
  delivered: z.int(),
  viewed: z.int(),
  liked: z.int(),
  commented: z.int(),
  clicked: z.int(),
  notInterested: z.int(),
  converted: z.int(),
});
export type Funnel = z.infer<typeof Funnel>;

/** Rates against `delivered` (viewed, liked…) and `converted / viewed` as `conversion`. */
export const FunnelRates = z.record(z.string(), z.number());

/** `GET /moments/:momentId/analytics`. */
export const MomentAnalytics = z.object({
  momentId: z.string(),
  funnel: Funnel,
  rates: FunnelRates,
  byTag: z.array(z.object({ tagId: z.string(), name: z.string(), funnel: Funnel, rates: FunnelRates })),
  byVariant: z.array(z.object({ variant: z.int(), label: z.string(), funnel: Funnel, rates: FunnelRates })),
  attributionDays: z.int(),
});

/** `GET /moments/analytics?from&to`: the corp's posts in a period, targeted against broadcast. */
export const MomentsSummaryQuery = z.strictObject({ from: Timestamp.optional(), to: Timestamp.optional() });
const Cohort = z.object({ posts: z.int(), funnel: Funnel, conversionRate: z.number().meta({ description: 'converted / delivered' }) });
export const MomentsSummary = z.object({
  from: Timestamp,
  to: Timestamp,
  posts: z.int(),
  funnel: Funnel,
  targeted: Cohort,
  broadcast: Cohort,
  lift: z.number().nullable().meta({ description: 'targeted conversion rate / broadcast conversion rate; null without broadcast deliveries' }),
  weeks: z.array(z.object({ weekStart: Timestamp, targetedRate: z.number().nullable(), broadcastRate: z.number().nullable() })),
});

/** The corp's Moments settings (part of `GET/PATCH /settings`). */
export const MomentSettings = z.object({
  weeklyCap: z.int().min(1).max(50).meta({ description: 'At most this many posts per customer in any 7 days.' }),
  quietHours: z.object({ start: z.string().regex(/^([01]\d|2[0-3]):00$/), end: z.string().regex(/^([01]\d|2[0-3]):00$/) }),
  notInterestedStreak: z.int().min(1).max(20),
  fallbackHour: z.int().min(0).max(23).meta({ description: 'The hour for a customer with no interaction history.' }),
  attributionDays: z.int().min(1).max(90),
});
export type MomentSettings = z.infer<typeof MomentSettings>;
export const defaultMomentSettings: MomentSettings = {
  weeklyCap: 3,
  quietHours: { start: '22:00', end: '08:00' },
  notInterestedStreak: 3,
  fallbackHour: 20,
  attributionDays: 7,
};
