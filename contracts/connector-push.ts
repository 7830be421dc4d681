import { z } from 'zod';
import { Timestamp } from './common.js';

// ---- input ----

/** `GET /connector/push`: one status, newest first, paged by `before` (a queue `seq`). */
export const ListPushItemsQuery = z.strictObject({
  status: z.enum(['pending', 'delivered', 'dead']).default('dead'),
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().meta({ description: 'The `seq` of the last item of the previous page.' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** `:itemId` in a path. */
export const PushItemIdParams = z.strictObject({ itemId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an item id: 1–64 letters, digits, _ or -') });

/** `POST /connector/push/replay`: every dead item at once. */
export const ReplayAllPushBody = z.strictObject({ all: z.literal(true) });

// ---- output ----

/** Where the push stands: queued and dead counts, and the times an operator watches. */
export const PushSummary = z.object({
  pushEnabled: z.boolean(),
  pending: z.int(),
  dead: z.int(),
  oldestPendingAt: Timestamp.nullable(),
  lastDeliveredAt: Timestamp.nullable(),
});

/** One queued WeCom call as the console lists it; never a token or secret. */
/** What a queued call does, in parts a console words in its reader's language (names resolved where known). */
export const PushDescription = z.discriminatedUnion('action', [
  z.object({ action: z.literal('mark'), customer: z.string(), userid: z.string(), add: z.array(z.string()), remove: z.array(z.string()) }),
  z.object({ action: z.literal('createTags'), tags: z.array(z.string()), group: z.string() }),
  z.object({ action: z.enum(['editTag', 'editGroup']), target: z.string(), rename: z.string().nullable(), order: z.number().nullable() }),
  z.object({ action: z.literal('delete'), tags: z.array(z.string()), groups: z.array(z.string()) }),
  z.object({ action: z.literal('other'), op: z.string() }),
]);

export const PushItem = z.object({
  itemId: z.string(),
  seq: z.int(),
  op: z.enum(['add_corp_tag', 'edit_corp_tag', 'del_corp_tag', 'mark_tag']),
  orderKey: z.string().meta({ description: '`tags` for the tag library, else the customer (external_userid): items of one key go in order.' }),
  eventType: z.string(),
  summary: z.string().meta({ description: 'What the call does, naming the tag or customer, in English.' }),
  description: PushDescription,
  status: z.enum(['pending', 'delivered', 'dead']),
  attempts: z.int(),
  lastErrcode: z.int().nullable(),
  lastError: z.string().nullable(),
  createdAt: Timestamp,
  doneAt: Timestamp.nullable(),
  nextAttemptAt: Timestamp,
});

/** `GET /connector/push`. */
export const PushItemList = z.object({ items: z.array(PushItem), nextBefore: z.int().nullable() });

/** `POST /connector/push/replay`: how many dead items went back to the queue. */
export const ReplayResult = z.object({ replayed: z.int() });
