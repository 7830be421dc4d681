import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { queryRows } from '../../../db/client.js';
import { type Bitmap, bitmapOf, or } from '../../audiences/index/bitmaps.js';
import { decodeInt4s, decodeRun } from '../../audiences/index/decode.js';
import { lowerBound } from '../../audiences/index/time-column.js';

const dayMs = 86_400_000;
// Deliveries older than this cannot count against any post planned from now on.
const capHorizonMs = 8 * dayMs;

/**
 * What the Moments audience needs besides the audience index, read at one `corps.moment_version`:
 * each tag group's suppressed customers, and every delivery that counts against the frequency cap
 * (not cancelled, planned within the last 8 days or later) as (seq, time) sorted by time.
 */
export type MomentLedger = {
  version: number;
  suppressed: Map<string, Bitmap>;
  deliveries: { seqs: Uint32Array; times: Float64Array };
  /** Scratch counts by seq (zero between calls), so the cap is counted without a hash map. */
  counter: Uint16Array;
  /** Over-cap bitmaps already computed, by cap and minute. */
  overCap: Map<string, Bitmap>;
  loadedAt: number;
};

type LedgerRow = { version: string | number; groups: string[] | null; sets: Uint8Array[] | null; run: Uint8Array | null };

/** Reads the ledger in one statement, so the version and what it describes come from one snapshot. */
export async function loadMomentLedger(db: Db, corpId: string, now: Date): Promise<MomentLedger> {
  const since = new Date(now.getTime() - capHorizonMs);
  const [row] = await queryRows<LedgerRow>(
    db,
    sql`with s as (
          select ms.group_id, string_agg(int4send(c.seq::int), ''::bytea) as seqs
          from moment_suppressions ms
          join customers c on c.corp_id = ms.corp_id and c.external_userid = ms.external_userid
          where ms.corp_id = ${corpId} and ms.lifted_at is null
          group by ms.group_id
        )
        select (select moment_version from corps where corp_id = ${corpId}) as version,
               (select array_agg(group_id order by group_id) from s) as groups,
               (select array_agg(seqs order by group_id) from s) as sets,
               (select string_agg(int4send(seq::int) || float8send(extract(epoch from planned_at) * 1000), ''::bytea order by planned_at, seq)
                  from moment_deliveries
                  where corp_id = ${corpId} and status <> 'cancelled' and planned_at >= ${since.toISOString()}) as run`,
  );
  const suppressed = new Map<string, Bitmap>();
  const groups = row?.groups ?? [];
  groups.forEach((groupId, i) => suppressed.set(groupId, bitmapOf(decodeInt4s(row?.sets?.[i] ?? null))));
  const deliveries = decodeRun(row?.run ?? null);
  const maxSeq = deliveries.seqs.reduce((m, s) => Math.max(m, s), 0);
  return { version: Number(row?.version ?? 0), suppressed, deliveries, counter: new Uint16Array(maxSeq + 1), overCap: new Map(), loadedAt: now.getTime() };
}

/** The customers suppressed for any of the groups. */
export function suppressedIn(ledger: MomentLedger, groupIds: readonly string[]): Bitmap {
  return or(...groupIds.flatMap((g) => ledger.suppressed.get(g) ?? []));
}

/**
 * The customers who already have `cap` or more deliveries within 7 days of `at`, before or after it:
 * one more post would put them over the frequency cap. Deliveries still planned count too: posts
 * made in the evening are delivered the next morning (quiet hours, active hours), after `at`, and a
 * fourth post that evening must still see them. Two binary searches and one pass over the window.
 */
export function overCapAt(ledger: MomentLedger, at: Date, cap: number): Bitmap {
  // Previews of one composer ask for the same minute again and again.
  const key = `${cap}:${Math.floor(at.getTime() / 60_000)}`;
  const cached = ledger.overCap.get(key);
  if (cached) return cached;
  const { seqs, times } = ledger.deliveries;
  const end = at.getTime();
  const from = lowerBound(times, end - 7 * dayMs + 1);
  const to = lowerBound(times, end + 7 * dayMs);
  const counts = ledger.counter;
  const over: number[] = [];
  for (let i = from; i < to; i += 1) {
    const seq = seqs[i]!;
    const n = counts[seq]! + 1;
    counts[seq] = n;
    if (n === cap) over.push(seq);
  }
  for (let i = from; i < to; i += 1) counts[seqs[i]!] = 0;
  const result = bitmapOf(over);
  if (ledger.overCap.size > 100) ledger.overCap.clear();
  ledger.overCap.set(key, result);
  return result;
}

// One cached ledger per database and corp; a database closed in tests takes its entries with it.
const ledgers = new WeakMap<Db, Map<string, Promise<MomentLedger>>>();

/**
 * The corp's ledger, current with `corps.moment_version`: one small read of the version per call,
 * and a reload only when another command (in any process) changed deliveries or suppressions.
 * Reloaded also after an hour, so deliveries age out of the window's horizon.
 */
export async function currentMomentLedger(db: Db, corpId: string, now: Date): Promise<MomentLedger> {
  let perDb = ledgers.get(db);
  if (!perDb) {
    perDb = new Map();
    ledgers.set(db, perDb);
  }
  const cached = perDb.get(corpId);
  if (cached) {
    const ledger = await cached.catch(() => null);
    if (ledger && now.getTime() - ledger.loadedAt < 3_600_000) {
      const [row] = await queryRows<{ v: string | number }>(db, sql`select moment_version as v from corps where corp_id = ${corpId}`);
      if (Number(row?.v ?? 0) === ledger.version) return ledger;
    }
  }
  const loading = loadMomentLedger(db, corpId, now);
  perDb.set(corpId, loading);
  loading.catch(() => perDb.delete(corpId));
  return loading;
}
