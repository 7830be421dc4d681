import { and, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { MessageMatchedPayload, PostMessagesBody, PostMessagesResult } from '../../../../contracts/messages.js';
import type { TxCtx } from '../../../context.js';
import { messageReceipts } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { appendCustomerFacts, type NewCustomerEvent, recordableCustomers } from '../../customer-events/customer-facts.js';
import type { RuleMatch } from '../../keywords/rule-matcher.js';
import { assertParticipants } from '../check-participants.js';
import { keywordMatcherFor } from '../keyword-matcher-cache.js';

type Input = z.infer<typeof PostMessagesBody>;
type Result = z.infer<typeof PostMessagesResult>;
type Message = Input['messages'][number];

/** The behaviour fact type a keyword hit becomes; its target is the keyword as the rule writes it. */
export const messageKeywordFact = 'message.keyword';

/** Every keyword of the satisfied rules, once each, in the order the rules list them. */
const keywordsOf = (rules: RuleMatch[]) => [...new Set(rules.flatMap((r) => r.keywords))];

/**
 * Matches chat messages against the corp's enabled keyword rules and keeps only the hits: one
 * `message.keyword` fact per keyword and one `message.matched` event per new message that had any.
 * The text itself is written nowhere. A key seen before (or twice in the batch) is answered with
 * the first time's keywords and writes nothing; an unknown employee or customer refuses the batch.
 */
export async function recordMessages(ctx: TxCtx, input: Input): Promise<Result> {
  const policy = await policyFor(ctx);
  policy.authorize('customerEvent.record');
  const messages = input.messages;
  const customers = await recordableCustomers(
    ctx,
    policy,
    messages.map((m) => m.externalUserid),
  );
  await assertParticipants(ctx, messages, customers);

  // The first line with a key is the message; later lines with it are repeats.
  const firsts = new Map<string, { message: Message; rules: RuleMatch[] }>();
  const matcher = await keywordMatcherFor(ctx);
  for (const message of messages) if (!firsts.has(message.idempotencyKey)) firsts.set(message.idempotencyKey, { message, rules: matcher.match(message.text) });

  const candidates = [...firsts.values()];
  // Inserted in key order, so two batches naming the same keys in different orders wait for each other instead of deadlocking.
  const byKey = [...candidates].sort((a, b) => (a.message.idempotencyKey < b.message.idempotencyKey ? -1 : 1));
  const inserted = await ctx.tx
    .insert(messageReceipts)
    .values(
      byKey.map(({ message: m, rules }) => ({
        corpId: ctx.corpId,
        idempotencyKey: m.idempotencyKey,
        userid: m.userid,
        externalUserid: m.externalUserid,
        sentAt: new Date(m.sentAt),
        keywords: keywordsOf(rules),
      })),
    )
    .onConflictDoNothing()
    .returning({ idempotencyKey: messageReceipts.idempotencyKey });
  const fresh = new Set(inserted.map((r) => r.idempotencyKey));

  const seenBefore = candidates.filter(({ message }) => !fresh.has(message.idempotencyKey)).map(({ message }) => message.idempotencyKey);
  const earlier =
    seenBefore.length === 0
      ? []
      : await ctx.tx
          .select({ idempotencyKey: messageReceipts.idempotencyKey, keywords: messageReceipts.keywords })
          .from(messageReceipts)
          .where(and(eq(messageReceipts.corpId, ctx.corpId), inArray(messageReceipts.idempotencyKey, seenBefore)));
  const keywordsByKey = new Map(earlier.map((r) => [r.idempotencyKey, r.keywords]));

  const matched = candidates.filter(({ message, rules }) => fresh.has(message.idempotencyKey) && rules.length > 0);
  for (const { message, rules } of matched) keywordsByKey.set(message.idempotencyKey, keywordsOf(rules));
  const facts: NewCustomerEvent[] = matched.flatMap(({ message: m, rules }) =>
    keywordsOf(rules).map((keyword) => ({
      externalUserid: m.externalUserid,
      type: messageKeywordFact,
      target: keyword,
      occurredAt: new Date(m.sentAt),
      dedupKey: `msg:${m.idempotencyKey}:${keyword}`,
    })),
  );
  await appendCustomerFacts(ctx, facts);
  for (const { message: m, rules } of matched) {
    const payload: MessageMatchedPayload = {
      userid: m.userid,
      direction: m.direction,
      sentAt: new Date(m.sentAt).toISOString(),
      idempotencyKey: m.idempotencyKey,
      keywords: keywordsOf(rules),
      rules,
    };
    await recordEvent(ctx, { type: 'message.matched', subjectType: 'customer', subjectId: m.externalUserid, payload });
  }

  // A line is new only if it is the first with its key and that key was not stored before.
  const answered = new Set<string>();
  const results = messages.map((m) => {
    const duplicate = answered.has(m.idempotencyKey) || !fresh.has(m.idempotencyKey);
    answered.add(m.idempotencyKey);
    return { idempotencyKey: m.idempotencyKey, duplicate, keywords: keywordsByKey.get(m.idempotencyKey) ?? [] };
  });
  return { messages: results, matched: matched.length, duplicates: results.filter((r) => r.duplicate).length };
}
