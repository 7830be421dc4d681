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
import { type SenderRanking, senderRanking } from './sender-ranking.js';

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
  // Independent reads, in parallel on a pool (each a cache check when nothing changed).
  const [ledger, ranking, hours, index] = await Promise.all([
    currentMomentLedger(ctx.db, ctx.corpId, catalog.eval.now),
    senderRanking(ctx.db, ctx.corpId, catalog.eval.now, input.freshSenders ?? false),
    input.variants?.length ? loadActiveHours(ctx.db, ctx.corpId, catalog.eval.now) : Promise.resolve(null),
    engine.current(ctx.corpId),
  ]);
  // Synchronous from here: the index cannot move under the evaluation.
  const started = performance.now();
  const matched = input.include ? membersIn(index, catalog, input.include) : (reachBitmap(index, catalog) ?? index.universe);
  const afterExclude = input.exclude ? andNot(matched, evaluateOnIndex(index, input.exclude, catalog.eval)) : matched;
  const afterSuppress = input.targetGroupIds.length ? andNot(afterExclude, suppressedIn(ledger, input.targetGroupIds)) : afterExclude;
  const afterCap = andNot(afterSuppress, overCapAt(ledger, input.at, input.settings.weeklyCap));
  const { remaining, bySender } = assignSenders(index, afterCap, input.senders, ranking);
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
 * Splits the audience among the senders. A customer with one follower goes to that follower if
 * they send the post; a shared customer goes to the first of their ranking (last chat, then
 * earliest add) who sends it. Both the common cases are bitmap arithmetic: only shared customers
 * whose first-ranked follower is not sending are looked at one by one.
 */
function assignSenders(
  index: CorpIndex,
  audience: Bitmap,
  senders: readonly string[],
  ranking: SenderRanking,
): { remaining: Bitmap; bySender: Map<string, Bitmap> } {
  const single = andNot(audience, ranking.shared);
  const shared = and(audience, ranking.shared);
  const chosen = new Set(senders);
  const bySender = new Map<string, Bitmap>();
  const claimed: Bitmap[] = [];
  // What earlier senders took: a ranking older than the index may see a newly shared customer as
  // single, and each customer must still go to exactly one sender.
  const assigned = bitmapOf();
  for (const s of chosen) {
    const followed = index.facets.follower.get(s);
    const mine = followed ? andNot(and(single, followed), assigned) : bitmapOf();
    const first = ranking.firstFor.get(s);
    if (first) {
      const top = and(shared, first);
      claimed.push(top);
      mine.orInPlace(top);
    }
    if (mine.size > 0) {
      bySender.set(s, mine);
      assigned.orInPlace(mine);
    }
  }
  // Shared customers whose first-ranked follower is not sending: the next sender in their ranking.
  const rest = andNot(shared, or(...claimed));
  if (rest.size > 0) {
    const reachable = and(rest, or(...[...chosen].flatMap((s) => index.facets.follower.get(s) ?? [])));
    for (const seq of reachable) {
      const next = ranking.ranked.get(seq)?.find((u) => chosen.has(u)) ?? senders.find((u) => index.facets.follower.get(u)?.has(seq));
      if (!next) continue;
      let part = bySender.get(next);
      if (!part) bySender.set(next, (part = bitmapOf()));
      part.add(seq);
    }
  }
  return { remaining: or(...bySender.values()), bySender };
}

function ownerMap(bySender: Map<string, Bitmap>): Map<number, string> {
  const owner = new Map<number, string>();
  for (const [s, part] of bySender) for (const seq of part) owner.set(seq, s);
  return owner;
}
