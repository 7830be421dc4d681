import { z } from 'zod';
import { chars, Id, Timestamp } from './common.js';

/** Event types look like `link.clicked`: lowercase words joined by dots (the audience language's `event:TYPE`). */
export const CustomerEventType = z
  .string()
  .max(64)
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'an event type looks like link.clicked (lowercase, dotted)')
  .meta({ examples: ['link.clicked', 'live.attended', 'moment.liked', 'message.keyword'] });

/** One behaviour fact: who did what to which target, and when. */
export const CustomerEventInput = z.strictObject({
  externalUserid: Id,
  type: CustomerEventType,
  target: chars(200).optional().meta({ description: 'What it was done to: a product link id, a live stream id, a keyword…' }),
  occurredAt: Timestamp,
  dedupKey: z.string().min(1).max(128).optional().meta({ description: 'Retried deliveries with the same key are recorded once.' }),
});

/** A batch of behaviour facts, recorded all or nothing. */
export const RecordCustomerEventsBody = z.strictObject({ events: z.array(CustomerEventInput).min(1).max(1000) });

/** How many facts were new and how many were repeats of an earlier delivery (same `dedupKey`). */
export const RecordCustomerEventsResult = z.object({ recorded: z.int(), duplicates: z.int() });
