import type { z } from 'zod';
import type { Expr } from '../../../contracts/audience-expression/ast.js';
import type { PreviewResult, SmartGroup } from '../../../contracts/smart-groups.js';
import type { Ctx } from '../../context.js';
import { AppError } from '../../errors.js';
import { printExpression } from '../audiences/expression/print.js';
import { and, andNot, type Bitmap, count } from '../audiences/index/bitmaps.js';
import { tagBitmap } from '../audiences/index/corp-index.js';
import { catalogLabels, loadCatalog } from '../audiences/service/catalog.js';
import type { AudienceEngine } from '../audiences/service/engine.js';
import { reachBitmap } from '../audiences/service/evaluate-audience.js';
import type { ExpressionInput } from '../audiences/service/read-expression.js';
import type { GroupListing } from '../tags/tags.queries.js';
import { followedCustomers, smartTagDiff } from './maintain.js';
import { readRule } from './rules.js';

const within = (set: Bitmap, visible: Bitmap | null) => (visible ? and(set, visible) : set);

/** Smart groups as the API shows them, each tag with its rule in text and its current member count. */
export async function presentSmartGroups(engine: AudienceEngine, ctx: Ctx, listing: GroupListing): Promise<SmartGroupList> {
  const catalog = await loadCatalog(ctx);
  const index = await engine.current(ctx.corpId);
  const visible = reachBitmap(index, catalog);
  const labels = catalogLabels(catalog);
  return {
    groups: listing.groups.map(({ group, tags }) => ({
      groupId: group.groupId,
      name: group.name,
      order: group.order,
      scope: group.scope.view ?? {},
      createdAt: group.createdAt.toISOString(),
      tags: tags
        .filter((t) => t.deletedAt === null)
        .map((t) => ({
          tagId: t.tagId,
          name: t.name,
          order: t.order,
          color: t.color,
          description: t.description,
          expression: t.rule,
          text: t.rule ? printExpression(t.rule, labels) : '',
          members: count(within(tagBitmap(index, t.tagId), visible)),
          createdAt: t.createdAt.toISOString(),
        })),
    })),
  };
}
type SmartGroupList = { groups: z.infer<typeof SmartGroup>[] };

/**
 * What saving the rules would do, from the index: members of each rule, and for an existing smart
 * tag the customers it would gain and lose. Counts stay within the caller's data scope.
 */
export async function previewRules(engine: AudienceEngine, ctx: Ctx, rules: ({ tagId?: string } & ExpressionInput)[]): Promise<z.infer<typeof PreviewResult>> {
  const catalog = await loadCatalog(ctx);
  const parsed: Expr[] = rules.map((r, i) => readRule(r, catalog, `body.tags.${i}`));
  const unknown = rules.flatMap((r, i) =>
    r.tagId !== undefined && catalog.tags.get(r.tagId)?.kind !== 'smart' ? [{ path: `body.tags.${i}.tagId`, message: `unknown smart tag "${r.tagId}"` }] : [],
  );
  if (unknown.length > 0) throw new AppError('tag_not_found', { message: 'Some tags are not smart tags you can see.', details: unknown });
  const index = await engine.current(ctx.corpId);
  const visible = reachBitmap(index, catalog);
  const followed = followedCustomers(index);
  const labels = catalogLabels(catalog);
  return {
    tags: rules.map((r, i) => {
      const current = r.tagId === undefined ? andNot(index.universe, index.universe) : tagBitmap(index, r.tagId);
      const { members, gain, lose } = smartTagDiff(index, parsed[i]!, current, catalog.eval, followed);
      return {
        ...(r.tagId === undefined ? {} : { tagId: r.tagId }),
        members: count(within(members, visible)),
        gain: count(within(gain, visible)),
        lose: count(within(lose, visible)),
        text: printExpression(parsed[i]!, labels),
      };
    }),
  };
}
