import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { AudienceCustomerPage, ListedTag } from '../../../../contracts/audiences.js';
import { type Ctx, reader } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { AppError } from '../../../errors.js';
import { likePrefix, looksLikeInitials } from '../../../names/name-initials.js';
import { employeeNames } from '../../org/employee-names.js';
import { printExpression } from '../expression/print.js';
import { and, type Bitmap, bitmapOf, count } from '../index/bitmaps.js';
import { type AudienceCatalog, catalogLabels } from './catalog.js';
import { customersBySeq } from './customer-rows.js';
import type { AudienceEngine } from './engine.js';
import { membersIn, reachBitmap } from './evaluate-audience.js';
import { type ExpressionInput, readExpression } from './read-expression.js';

/** What the console's customer list asks for: an optional audience, a name search and a page. */
export type ListInput = ExpressionInput & { q?: string; cursor?: string; limit: number };

// The cursor is the last seq of the previous page, tagged so that garbage never decodes to a valid one.
const encodeCursor = (seq: number) => Buffer.from(`aud:${seq}`).toString('base64url');
function decodeCursor(cursor: string): number {
  const match = /^aud:(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new AppError('invalid_cursor', { details: [{ path: 'body.cursor', message: 'not a nextCursor of this listing' }] });
  return Number(match[1]);
}

/**
 * Seqs of the corp's customers whose name contains `q` (case-insensitive), whose external_userid is
 * `q`, or, when `q` is ASCII letters, whose name's pinyin initials start with it (`zs` → 张三): a
 * prefix LIKE on the stored lower-case initials, `%` and `_` escaped.
 */
async function nameMatches(ctx: Ctx, q: string): Promise<Bitmap> {
  const byInitials = looksLikeInitials(q) ? sql` or name_initials like ${likePrefix(q.toLowerCase())}` : sql``;
  const rows = await queryRows<{ seq: number }>(
    reader(ctx),
    sql`
    select seq::int4 as seq from customers
    where corp_id = ${ctx.corpId} and (strpos(lower(name), lower(${q})) > 0 or external_userid = ${q}${byInitials})`,
  );
  return bitmapOf(rows.map((r) => Number(r.seq)));
}

/** The position of the first seq greater than `after` in an ascending array (binary search). */
function firstAbove(seqs: Uint32Array, after: number): number {
  let [lo, hi] = [0, seqs.length];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seqs[mid]! <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The caller's visible tags among a customer's tag ids, enterprise before personal, by group then name. */
function visibleTags(tagIds: string[], catalog: AudienceCatalog): z.infer<typeof ListedTag>[] {
  const out = tagIds.flatMap((id) => {
    const t = catalog.tags.get(id);
    return t ? [{ tagId: t.tagId, name: t.name, groupName: t.groupName, kind: t.kind }] : [];
  });
  return out.sort(
    (a, b) => Number(a.kind === 'personal') - Number(b.kind === 'personal') || a.groupName.localeCompare(b.groupName) || a.name.localeCompare(b.name),
  );
}

/**
 * One page of the customers an audience selects within the caller's data scope (all they may see
 * when no audience is given), narrowed by a name search, in creation order. The id set comes from
 * the in-memory index (current with every committed change); only the page's rows are read.
 */
export async function listAudienceCustomers(
  engine: AudienceEngine,
  ctx: Ctx,
  catalog: AudienceCatalog,
  input: ListInput,
): Promise<z.infer<typeof AudienceCustomerPage>> {
  const expr = input.text !== undefined || input.expression !== undefined ? readExpression(input, catalog) : null;
  const after = input.cursor ? decodeCursor(input.cursor) : -1;
  const searched = input.q ? await nameMatches(ctx, input.q) : null;
  // Synchronous from here to the slice: the index does not move under the evaluation.
  const index = await engine.current(ctx.corpId);
  const visible = reachBitmap(index, catalog) ?? index.universe;
  const audience = expr ? membersIn(index, catalog, expr) : visible;
  const members = searched ? and(audience, searched) : audience;
  const seqs = members.toUint32Array();
  const start = firstAbove(seqs, after);
  const pageSeqs = Array.from(seqs.subarray(start, start + input.limit));
  const hasMore = start + input.limit < seqs.length;
  const rows = await customersBySeq(ctx, pageSeqs);
  const names = await employeeNames(
    ctx,
    rows.flatMap((r) => r.followers),
  );
  return {
    customers: rows.map((r) => ({
      externalUserid: r.externalUserid,
      name: r.name,
      gender: r.gender,
      corpName: r.corpName,
      province: r.province,
      city: r.city,
      followers: r.followers.map((userid) => ({ userid, name: names.get(userid) ?? userid })),
      tags: visibleTags(r.tagIds, catalog),
    })),
    count: count(members),
    total: count(visible),
    text: expr ? printExpression(expr, catalogLabels(catalog)) : '',
    nextCursor: hasMore && pageSeqs.length > 0 ? encodeCursor(pageSeqs[pageSeqs.length - 1]!) : null,
  };
}
