import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Funnel, MomentVariant } from '../../../../contracts/moments.js';
import { type Ctx, reader } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { moments, tags } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { readMomentSettings } from '../moment-settings.js';
import { engagementRows, type FunnelRow, funnelColumns, funnelOf } from './engagement.sql.js';
import { emptyFunnel } from './funnel-rates.js';

/** A post's funnel in total, per include tag and per variant, before rates are added. */
export type MomentFunnels = {
  momentId: string;
  funnel: Funnel;
  byTag: { tagId: string; name: string; funnel: Funnel }[];
  byVariant: { variant: number; label: string; funnel: Funnel }[];
  attributionDays: number;
};

/** The label of the main content in `byVariant` (variant -1): the console shows its own word for it. */
export const mainContentLabel = 'main';

/**
 * The funnel of one post of the caller's corp, in total, for each tag of its include expression
 * (deliveries whose customer carried the tag when planned) and for each content variant. One
 * statement computes all three; a post of another corp does not exist (404).
 */
export async function momentFunnels(ctx: Ctx, momentId: string): Promise<MomentFunnels> {
  const db = reader(ctx);
  const [post] = await db
    .select({ includeTagIds: moments.includeTagIds, variants: moments.variants })
    .from(moments)
    .where(and(eq(moments.corpId, ctx.corpId), eq(moments.momentId, momentId)));
  if (!post)
    throw new AppError('not_found', { message: `The post "${momentId}" does not exist.`, details: [{ path: 'params.momentId', message: 'no such post' }] });
  const { attributionDays } = await readMomentSettings(ctx);

  const rows = await queryRows<FunnelRow & { dim: 'all' | 'tag' | 'variant'; key: string }>(
    db,
    sql`with p as (${engagementRows(ctx.corpId, sql`${momentId}`, attributionDays)})
      select 'all' as dim, '' as key, ${funnelColumns} from p
      union all
      select 'tag' as dim, t.tag_id as key, ${funnelColumns} from p cross join unnest(p.matched_tag_ids) as t(tag_id) group by t.tag_id
      union all
      select 'variant' as dim, p.variant::text as key, ${funnelColumns} from p group by p.variant`,
  );
  const funnelFor = (dim: string, key: string) => {
    const row = rows.find((r) => r.dim === dim && r.key === key);
    return row ? funnelOf(row) : emptyFunnel;
  };

  const names = post.includeTagIds.length
    ? await db
        .select({ tagId: tags.tagId, name: tags.name })
        .from(tags)
        .where(and(eq(tags.corpId, ctx.corpId), inArray(tags.tagId, post.includeTagIds)))
    : [];
  const nameOf = new Map(names.map((t) => [t.tagId, t.name]));

  return {
    momentId,
    funnel: funnelFor('all', ''),
    byTag: post.includeTagIds.map((tagId) => ({ tagId, name: nameOf.get(tagId) ?? tagId, funnel: funnelFor('tag', tagId) })),
    byVariant: variantsOf(
      post.variants,
      rows.filter((r) => r.dim === 'variant').map((r) => Number(r.key)),
    ).map(({ variant, label }) => ({
      variant,
      label,
      funnel: funnelFor('variant', String(variant)),
    })),
    attributionDays,
  };
}

/**
 * The variants to report: the main content (-1), each variant of the post in order, and any
 * other index a delivery carries (a variant since removed from a copy), labelled by its index.
 */
function variantsOf(variants: MomentVariant[], delivered: number[]): { variant: number; label: string }[] {
  const listed = [{ variant: -1, label: mainContentLabel }, ...variants.map((v, i) => ({ variant: i, label: v.label }))];
  const extra = delivered.filter((n) => !listed.some((l) => l.variant === n)).sort((a, b) => a - b);
  return [...listed, ...extra.map((variant) => ({ variant, label: `#${variant}` }))];
}
