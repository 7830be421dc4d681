import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import type { MomentCounts, MomentSettings, MomentVariant } from '../../../../contracts/moments.js';
import type { Ctx } from '../../../context.js';
import { and, andNot, type Bitmap, bitmapOf, or } from '../../audiences/index/bitmaps.js';
import type { CorpIndex } from '../../audiences/index/corp-index.js';
import { evaluateOnIndex } from '../../audiences/index/evaluate.js';
import type { AudienceCatalog } from '../../audiences/service/catalog.js';
import type { AudienceEngine } from '../../audiences/service/engine.js';
import { membersIn, reachBitmap } from '../../audiences/service/evaluate-audience.js';
import { loadActiveHours, variantFor } from './active-hours.js';
import { currentMomentLedger, overCapAt, suppressedIn } from './moment-ledger.js';
import { senderRanking } from './sender-ranking.js';

/** What a post's audience is computed from: expressions already checked, senders already expanded to userids. */
export type MomentAudienceInput = {
  include: Expr | null;
  exclude: Expr | null;
  /** Tag groups the include targets: their suppression lists apply. */
  targetGroupIds: string[];
  /** Active employees who may send it (expanded from users and departments, within the author's reach). */
  senders: string[];
  /** When the post goes out: the cap counts deliveries in the 7 days before. */
  at: Date;
  settings: MomentSettings;
  /** Time-of-day variants: when given, `byVariant` counts who gets which. */
  variants?: readonly Pick<MomentVariant, 'fromHour' | 'toHour'>[];
  /** Read who chatted with whom afresh (scheduling) instead of from a ranking up to 30 s old (previews). */
  freshSenders?: boolean;
};

/** The audience of a post: counts reduction by reduction, who remains, and who sends to each. */
export type MomentAudience = {
  index: CorpIndex;
  counts: MomentCounts;
  remaining: Bitmap;
  /** The remaining customers each sender sends to; every remaining customer under exactly one sender. */
  bySender: Map<string, Bitmap>;
  /** The sender of a remaining customer: the chosen sender who last chatted with them, else their earliest chosen follower. */
  senderOf: (seq: number) => string;
  /** Remaining customers per variant (-1 = the main content); empty without variants. */
  byVariant: Map<number, number>;
  /** `corps.moment_version` the cap and suppression bitmaps were read at: a command writing deliveries checks it is unchanged. */
  momentVersion: number;
  elapsedMs: number;
};

/**
 * Computes a post's audience on the corp's index: who the include expression matches among the
 * customers the author may see, minus the exclusion, minus those suppressed for a targeted tag
 * group, minus those at the frequency cap, minus those no chosen sender follows; then assigns each
 * remaining customer to one sender. Must run outside a transaction (it awaits the index).
 */
export async function momentAudience(engine: AudienceEngine, ctx: Ctx, catalog: AudienceCatalog, input: MomentAudienceInput): Promise<MomentAudience> {
  const [ledger, ranking, hours] = await Promise.all([
    currentMomentLedger(ctx.db, ctx.corpId, catalog.eval.now),
    senderRanking(ctx.db, ctx.corpId, catalog.eval.now, input.freshSenders ?? false),
    input.variants?.length ? loadActiveHours(ctx.db, ctx.corpId, catalog.eval.now) : Promise.resolve(null),
  ]);
  const index = await engine.current(ctx.corpId);
  // Synchronous from here: the index cannot move under the evaluation.
  const started = performance.now();
  const matched = input.include ? membersIn(index, catalog, input.include) : (reachBitmap(index, catalog) ?? index.universe);
  const afterExclude = input.exclude ? andNot(matched, evaluateOnIndex(index, input.exclude, catalog.eval)) : matched;
  const afterSuppress = input.targetGroupIds.length ? andNot(afterExclude, suppressedIn(ledger, input.targetGroupIds)) : afterExclude;
  const afterCap = andNot(afterSuppress, overCapAt(ledger, input.at, input.settings.weeklyCap));
  const { remaining, bySender } = assignSenders(index, afterCap, input.senders, ranking.ranked);
  const counts: MomentCounts = {
    matched: matched.size,
    excluded: matched.size - afterExclude.size,
    suppressed: afterExclude.size - afterSuppress.size,
    overCap: afterSuppress.size - afterCap.size,
    noSender: afterCap.size - remaining.size,
    remaining: remaining.size,
  };
  const byVariant = new Map<number, number>();
  if (hours && input.variants?.length) {
    for (const seq of remaining) {
      const v = variantFor(hours.get(seq) ?? input.settings.fallbackHour, input.variants);
      byVariant.set(v, (byVariant.get(v) ?? 0) + 1);
    }
  }
  let owner: Map<number, string> | null = null;
  const senderOf = (seq: number): string => {
    owner ??= ownerMap(bySender);
    const s = owner.get(seq);
    if (s === undefined) throw new Error(`customer ${seq} is not in the post's audience`);
    return s;
  };
  return { index, counts, remaining, bySender, senderOf, byVariant, momentVersion: ledger.version, elapsedMs: performance.now() - started };
}

/**
 * Splits the audience among the senders. A customer only one chosen sender follows goes to them
 * (bitmap arithmetic); one followed by several goes to the first of the ranking (last chat, then
 * earliest add) who is a chosen sender. Customers nobody chosen follows fall out.
 */
function assignSenders(
  index: CorpIndex,
  audience: Bitmap,
  senders: readonly string[],
  ranked: Map<number, string[]>,
): { remaining: Bitmap; bySender: Map<string, Bitmap> } {
  const parts = new Map<string, Bitmap>();
  let seen = bitmapOf();
  let multi = bitmapOf();
  for (const s of senders) {
    const followed = index.facets.follower.get(s);
    if (!followed) continue;
    const part = and(audience, followed);
    if (part.size === 0) continue;
    parts.set(s, part);
    multi = or(multi, and(seen, part));
    seen = or(seen, part);
  }
  const bySender = new Map<string, Bitmap>();
  for (const [s, part] of parts) bySender.set(s, andNot(part, multi));
  if (multi.size > 0) {
    const chosen = new Set(parts.keys());
    const extra = new Map<string, number[]>();
    for (const seq of multi) {
      const first = ranked.get(seq)?.find((u) => chosen.has(u)) ?? [...parts].find(([, p]) => p.has(seq))![0];
      let list = extra.get(first);
      if (!list) extra.set(first, (list = []));
      list.push(seq);
    }
    for (const [s, seqs] of extra) bySender.get(s)!.addMany(seqs);
  }
  return { remaining: seen, bySender };
}

function ownerMap(bySender: Map<string, Bitmap>): Map<number, string> {
  const owner = new Map<number, string>();
  for (const [s, part] of bySender) for (const seq of part) owner.set(seq, s);
  return owner;
}
