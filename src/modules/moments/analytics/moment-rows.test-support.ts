import { and, eq, inArray } from 'drizzle-orm';
import type { MomentVariant } from '../../../../contracts/moments.js';
import { systemContext, withTx } from '../../../context.js';
import type { Db } from '../../../db/client.js';
import { customers, momentDeliveries, moments } from '../../../db/schema/index.js';
import { unique } from '../../../test/factories.js';
import { addCustomers } from '../../customers/commands/add-customers.js';

/** What a test post needs: include tags (none = a broadcast), variants, status and when it was scheduled. */
export type TestPost = {
  includeTagIds?: string[];
  variants?: MomentVariant[];
  status?: 'draft' | 'scheduled' | 'sending' | 'sent' | 'cancelled';
  scheduledAt?: Date;
};

/**
 * Inserts a post straight into `moments` (analytics tests do not depend on the posts commands):
 * a targeted post's include expression is "any of its tags". Returns its id.
 */
export async function insertPost(db: Db, corpId: string, post: TestPost = {}): Promise<string> {
  const momentId = unique('mo');
  const include = post.includeTagIds?.length ? post.includeTagIds : null;
  const status = post.status ?? 'sent';
  await db.insert(moments).values({
    corpId,
    momentId,
    status,
    text: '修护面膜上新',
    variants: post.variants ?? [],
    senders: { userids: [], departmentIds: [] },
    includeExpr: include ? { any: include.map((tag) => ({ tag })) } : null,
    includeTagIds: include ?? [],
    schedule: { mode: 'now' },
    author: 'test',
    origin: 'api',
    scheduledAt: status === 'draft' ? null : (post.scheduledAt ?? new Date()),
  });
  return momentId;
}

/** One delivery of a test post: the customer, and its status, variant and matched tags (default: sent main content, no tags). */
export type TestDelivery = { customer: string; status?: 'planned' | 'sent' | 'cancelled'; variant?: number; matchedTagIds?: string[] };

/** Inserts deliveries of a post straight into `moment_deliveries`, with each customer's real `seq`. */
export async function insertDeliveries(db: Db, corpId: string, momentId: string, sender: string, rows: TestDelivery[]): Promise<void> {
  const seqs = await db
    .select({ id: customers.externalUserid, seq: customers.seq })
    .from(customers)
    .where(
      and(
        eq(customers.corpId, corpId),
        inArray(
          customers.externalUserid,
          rows.map((r) => r.customer),
        ),
      ),
    );
  const seqOf = new Map(seqs.map((s) => [s.id, s.seq]));
  const plannedAt = new Date();
  await db.insert(momentDeliveries).values(
    rows.map((r) => ({
      corpId,
      momentId,
      externalUserid: r.customer,
      seq: seqOf.get(r.customer) ?? 0,
      senderUserid: sender,
      variant: r.variant ?? -1,
      matchedTagIds: r.matchedTagIds ?? [],
      plannedAt,
      status: r.status ?? 'sent',
      sentAt: (r.status ?? 'sent') === 'sent' ? plannedAt : null,
    })),
  );
}

/** Creates `count` customers followed by `follower` and returns their external_userids in order. */
export async function buildCustomers(db: Db, corpId: string, follower: string, count: number): Promise<string[]> {
  const ids = await withTx(systemContext(db, corpId), (tx) =>
    addCustomers(
      tx,
      Array.from({ length: count }, (_, i) => ({ name: `朋友圈客户${i + 1}`, follows: [{ userid: follower }] })),
    ),
  );
  return ids.map((id) => id!);
}
