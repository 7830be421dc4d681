import { z } from 'zod';
import { Id, Timestamp } from './common.js';

/**
 * Chat messages (`POST /api/v1/messages`): what a 会话存档 (chat archive) integration or the
 * sidebar sends so keyword rules can tag customers. The text is matched against the corp's keyword
 * rules and then dropped: only the keyword hits are kept, as `message.keyword` facts.
 */

/** Limits of one request. */
export const messageLimits = { batchMax: 500, textMax: 4000, idempotencyKeyMax: 128 } as const;

/** One message between an employee and a customer. */
export const MessageInput = z.strictObject({
  userid: Id.meta({ description: 'The employee in the conversation.' }),
  externalUserid: Id.meta({ description: 'The customer in the conversation.' }),
  direction: z.enum(['in', 'out']).meta({ description: '`in`: the customer wrote it; `out`: the employee did.' }),
  text: z.string().min(1).max(messageLimits.textMax),
  sentAt: Timestamp,
  idempotencyKey: z
    .string()
    .min(1)
    .max(messageLimits.idempotencyKeyMax)
    .meta({ description: 'The archive’s message id: a message sent again with the same key is matched once.' }),
});

/** One message or a batch, all accepted or all refused. */
export const PostMessagesBody = z.strictObject({ messages: z.array(MessageInput).min(1).max(messageLimits.batchMax) });

/** Per message, in request order: whether it was new and which keywords it contained. */
export const PostMessagesResult = z.object({
  messages: z.array(z.object({ idempotencyKey: z.string(), duplicate: z.boolean(), keywords: z.array(z.string()) })),
  matched: z.int().meta({ description: 'New messages that contained at least one keyword.' }),
  duplicates: z.int(),
});

/**
 * The payload of a `message.matched` event (subject: the customer), recorded once per new message
 * that contained a keyword of an enabled keyword rule. The rule engine fires on it; the text is
 * not in it.
 */
export type MessageMatchedPayload = {
  userid: string;
  direction: 'in' | 'out';
  sentAt: string;
  idempotencyKey: string;
  /** Every keyword of an enabled keyword rule found in the text (each also a `message.keyword` fact). */
  keywords: string[];
  /** The enabled keyword rules the text satisfied (contains/exact, any/all), with the keywords that did it. */
  rules: { ruleId: string; keywords: string[] }[];
};
