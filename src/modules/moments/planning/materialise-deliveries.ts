import { sql } from 'drizzle-orm';
import type { MomentSchedule, MomentSettings, MomentVariant } from '../../../../contracts/moments.js';
import type { TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { and, type Bitmap } from '../../audiences/index/bitmaps.js';
import { type CorpIndex, tagBitmap } from '../../audiences/index/corp-index.js';
import { plannedAt, quietSpan, variantByHour } from './plan-time.js';

/** What planning needs of a computed audience (a `MomentAudience` fits). */
export type PlannableAudience = { index: CorpIndex; remaining: Bitmap; senderOf: (seq: number) => string };

/** A post's planning inputs: its schedule, variants and include tags, the corp's settings and the customers' active hours. */
export type DeliveryPlan = {
  momentId: string;
  schedule: MomentSchedule;
  variants: readonly Pick<MomentVariant, 'fromHour' | 'toHour'>[];
  includeTagIds: readonly string[];
  settings: Pick<MomentSettings, 'quietHours' | 'fallbackHour'>;
  /** When the post starts going out (epoch ms): now, its `at`, or its best-hour window's start. */
  startMs: number;
  /** Active hour by seq (absent = the fallback hour). */
  activeHours: ReadonlyMap<number, number>;
};

/** What was written: deliveries per variant (-1 = main content) and the planned time span. */
export type MaterialisedDeliveries = { inserted: number; byVariant: Map<number, number>; firstAt: number | null; lastAt: number | null };

const chunkSize = 20_000;

/**
 * Writes one planned delivery per remaining customer, in the caller's transaction: the sender
 * `senderOf(seq)`, the variant of the customer's active hour, the planned time (best hour, out of
 * quiet hours) and the include tags they carry. Sent as parallel arrays through `unnest`, 20,000
 * rows per statement, joined to `customers` by seq for the external_userid. Exported for the
 * benchmark, which times a million.
 */
export async function materialiseDeliveries(ctx: TxCtx, audience: PlannableAudience, plan: DeliveryPlan): Promise<MaterialisedDeliveries> {
  const quiet = quietSpan(plan.settings);
  const variantOf = variantByHour(plan.variants);
  const tagSets = plan.includeTagIds.map((tagId) => ({ tagId, members: and(tagBitmap(audience.index, tagId), audience.remaining) }));
  const result: MaterialisedDeliveries = { inserted: 0, byVariant: new Map(), firstAt: null, lastAt: null };
  // Customers of one active hour share a planned time and a variant: computed once per hour.
  const byHour = new Map<number, number>();
  const timeFor = (hour: number) => {
    let at = byHour.get(hour);
    if (at === undefined) byHour.set(hour, (at = plannedAt(plan.schedule, hour, plan.startMs, quiet)));
    return at;
  };
  let seqs: number[] = [];
  let senders: string[] = [];
  let variants: number[] = [];
  let tags: string[] = [];
  let times: number[] = [];
  const flush = async () => {
    if (seqs.length === 0) return;
    const [row] = await queryRows<{ n: number }>(
      ctx.tx,
      sql`
      with made as (
        insert into moment_deliveries (corp_id, moment_id, external_userid, seq, sender_userid, variant, matched_tag_ids, planned_at)
        select ${ctx.corpId}, ${plan.momentId}, c.external_userid, d.seq, d.sender, d.variant,
          case when d.tags = '' then '{}'::text[] else string_to_array(d.tags, ',') end,
          timestamptz 'epoch' + d.ms * interval '1 millisecond'
        from unnest(${sql.param(seqs)}::bigint[], ${sql.param(senders)}::text[], ${sql.param(variants)}::int[], ${sql.param(tags)}::text[], ${sql.param(times)}::bigint[])
          as d(seq, sender, variant, tags, ms)
        join customers c on c.corp_id = ${ctx.corpId} and c.seq = d.seq
        returning 1
      ) select count(*)::int as n from made`,
    );
    result.inserted += Number(row?.n ?? 0);
    seqs = [];
    senders = [];
    variants = [];
    tags = [];
    times = [];
  };
  for (const seq of audience.remaining) {
    const hour = plan.activeHours.get(seq) ?? plan.settings.fallbackHour;
    const at = timeFor(hour);
    const variant = variantOf[hour]!;
    seqs.push(seq);
    senders.push(audience.senderOf(seq));
    variants.push(variant);
    tags.push(
      tagSets.length === 0
        ? ''
        : tagSets
            .filter((t) => t.members.has(seq))
            .map((t) => t.tagId)
            .join(','),
    );
    times.push(at);
    result.byVariant.set(variant, (result.byVariant.get(variant) ?? 0) + 1);
    if (result.firstAt === null || at < result.firstAt) result.firstAt = at;
    if (result.lastAt === null || at > result.lastAt) result.lastAt = at;
    if (seqs.length >= chunkSize) await flush();
  }
  await flush();
  return result;
}
