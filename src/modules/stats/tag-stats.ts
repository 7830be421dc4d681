import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { type Ctx, reader } from '../../context.js';
import { tags } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { andNot, and as both, count, or } from '../audiences/index/bitmaps.js';
import { tagBitmap } from '../audiences/index/corp-index.js';
import type { AudienceCatalog } from '../audiences/service/catalog.js';
import type { AudienceEngine } from '../audiences/service/engine.js';
import { reachBitmap } from '../audiences/service/evaluate-audience.js';

/** Customers per tag of one group within the caller's data scope (the `TagStats` contract). */
export type TagStatsResult = {
  groupId: string;
  groupName: string;
  tags: { tagId: string; name: string; customers: number }[];
  withoutGroupTags: number;
  visibleCustomers: number;
};

/**
 * Counts, from the audience index, how many customers the caller may see carry each tag of a group
 * they may see, and how many carry none. A group they cannot see (or another corp's) reads as not
 * found, as everywhere else, so the answer does not reveal that it exists.
 */
export async function tagStats(engine: AudienceEngine, ctx: Ctx, catalog: AudienceCatalog, groupId: string): Promise<TagStatsResult> {
  const group = catalog.groups.get(groupId);
  if (!group) throw new AppError('tag_not_found', { message: `The tag group "${groupId}" does not exist.` });
  // The tag library's order, so the chart reads like the 客户标签 page.
  const ordered = await reader(ctx)
    .select({ tagId: tags.tagId })
    .from(tags)
    .where(and(eq(tags.corpId, ctx.corpId), eq(tags.groupId, groupId), isNull(tags.deletedAt)))
    .orderBy(desc(tags.order), asc(tags.createdAt), asc(tags.tagId));
  const tagIds = ordered.map((r) => r.tagId).filter((id) => catalog.tags.has(id));
  // Synchronous after this await: the index does not move while it is counted.
  const index = await engine.current(ctx.corpId);
  const visible = reachBitmap(index, catalog) ?? index.universe;
  const bitmaps = tagIds.map((id) => both(tagBitmap(index, id), visible));
  return {
    groupId,
    groupName: group.name,
    tags: tagIds.map((id, i) => ({ tagId: id, name: catalog.tags.get(id)!.name, customers: count(bitmaps[i]!) })),
    withoutGroupTags: count(andNot(visible, or(...bitmaps))),
    visibleCustomers: count(visible),
  };
}
