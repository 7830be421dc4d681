import { sql } from 'drizzle-orm';
import type { Expr } from '../../../contracts/audience-expression/ast.js';
import { systemContext, withTx } from '../../context.js';
import { type Db, queryRows } from '../../db/client.js';
import type { EvalContext } from '../audiences/context.js';
import { andNot, type Bitmap, or } from '../audiences/index/bitmaps.js';
import { type CorpIndex, tagBitmap } from '../audiences/index/corp-index.js';
import { evaluateOnIndex } from '../audiences/index/evaluate.js';
import { loadCatalog } from '../audiences/service/catalog.js';
import type { IndexFollower } from '../audiences/service/engine.js';
import { type SmartTagSync, syncSmartTag } from './sync-smart-tag.js';

/** A live smart tag and its rule. */
export type SmartRule = { tagId: string; rule: Expr };

/** The corp's live smart tags with their rules. */
export async function loadSmartRules(db: Db, corpId: string): Promise<SmartRule[]> {
  const rows = await queryRows<{ tag_id: string; rule: Expr }>(
    db,
    sql`
    select t.tag_id, t.rule from tags t join tag_groups g on g.corp_id = t.corp_id and g.group_id = t.group_id
    where t.corp_id = ${corpId} and g.kind = 'smart' and t.deleted_at is null and g.deleted_at is null and t.rule is not null
    order by t.tag_id`,
  );
  return rows.map((r) => ({ tagId: r.tag_id, rule: r.rule }));
}

/** Customers with at least one follow relation: the only ones a mark can sit on. */
export function followedCustomers(index: CorpIndex): Bitmap {
  return or(...index.facets.follower.values());
}

/**
 * Who gains and who loses a smart tag: the rule's members (among customers with a relation to
 * carry the mark) against the tag's current bitmap.
 */
export function smartTagDiff(
  index: CorpIndex,
  rule: Expr,
  current: Bitmap,
  evalContext: EvalContext,
  followed: Bitmap,
): { gain: Bitmap; lose: Bitmap; members: Bitmap } {
  const members = evaluateOnIndex(index, rule, evalContext);
  members.andInPlace(followed);
  return { members, gain: andNot(members, current), lose: andNot(current, members) };
}

/**
 * Keeps every smart tag of a corp equal to its rule, right after the index took in new events:
 * evaluates each rule on the index and writes only the differences. One process at a time per corp
 * (a transaction-scoped advisory lock; the others skip), and the writes come back as events, so
 * rules that depend on other smart tags settle over a few rounds.
 */
export async function maintainSmartGroups(db: Db, corpId: string, index: CorpIndex): Promise<SmartTagSync[]> {
  const rules = await loadSmartRules(db, corpId);
  if (rules.length === 0) return [];
  const ctx = systemContext(db, corpId, 'smart-groups', 'rule');
  const catalog = await loadCatalog(ctx);
  const followed = followedCustomers(index);
  const changes = rules
    .map((r) => {
      const { gain, lose } = smartTagDiff(index, r.rule, tagBitmap(index, r.tagId), catalog.eval, followed);
      return { tagId: r.tagId, gain: gain.toArray(), lose: lose.toArray() };
    })
    .filter((c) => c.gain.length > 0 || c.lose.length > 0);
  if (changes.length === 0) return [];
  return withTx(ctx, async (tx) => {
    const [lock] = await queryRows<{ ok: boolean }>(tx.tx, sql`select pg_try_advisory_xact_lock(hashtext(${`smart-groups:${corpId}`})) as ok`);
    if (!lock?.ok) return [];
    const out: SmartTagSync[] = [];
    for (const change of changes) out.push(await syncSmartTag(tx, change));
    return out.filter((s) => s !== null);
  });
}

/**
 * The smart-group maintainer as a follower of the audience index (registered in app.ts): after each
 * refresh that took in events, and at least once a minute for rules with moving windows.
 */
export function smartGroupMaintainer(db: Db): IndexFollower {
  return { name: 'smart-groups', everyMs: 60_000, handle: async (corpId, index) => void (await maintainSmartGroups(db, corpId, index)) };
}
