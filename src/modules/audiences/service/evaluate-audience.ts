import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import type { Ctx } from '../../../context.js';
import { and, type Bitmap } from '../index/bitmaps.js';
import type { CorpIndex } from '../index/corp-index.js';
import { cachedFollowedBy } from '../index/derived-cache.js';
import { countOnIndex, evaluateOnIndex } from '../index/evaluate.js';
import type { AudienceCatalog } from './catalog.js';
import type { AudienceEngine } from './engine.js';

/**
 * The customers an actor may see, as a bitmap: those followed by someone within their reach
 * (null: everyone). Cached per index state and reach, so it is shared: read it, never change it.
 */
export function reachBitmap(index: CorpIndex, catalog: AudienceCatalog): Bitmap | null {
  const reach = catalog.policy.reach;
  if (reach === 'all') return null;
  return cachedFollowedBy(index, reach);
}

/**
 * Who the expression selects among the customers the actor may see, from the corp's index brought
 * up to date first (so a change the caller just made is counted). Synchronous after the await, so
 * the index does not move under the evaluation.
 */
export async function audienceBitmap(engine: AudienceEngine, ctx: Ctx, catalog: AudienceCatalog, expr: Expr): Promise<{ index: CorpIndex; members: Bitmap }> {
  const index = await engine.current(ctx.corpId);
  return { index, members: membersIn(index, catalog, expr) };
}

/** Who the expression selects on an index already brought up to date, among the customers the actor may see. */
export function membersIn(index: CorpIndex, catalog: AudienceCatalog, expr: Expr): Bitmap {
  const matched = evaluateOnIndex(index, expr, catalog.eval);
  const visible = reachBitmap(index, catalog);
  return visible ? and(matched, visible) : matched;
}

/** How many customers `membersIn` would answer, counted without building the set (the live count of an editor). */
export function countIn(index: CorpIndex, catalog: AudienceCatalog, expr: Expr): number {
  return countOnIndex(index, expr, catalog.eval, reachBitmap(index, catalog));
}
