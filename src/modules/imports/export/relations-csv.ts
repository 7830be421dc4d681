import { type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { policyFor } from '../../../policies/index.js';
import { type AudienceCatalog, loadCatalog } from '../../audiences/service/catalog.js';
import { genderName } from '../../audiences/service/export-csv.js';
import { csvRecord } from '../../audit/audit.csv.js';
import type { CustomerExport } from './customers-csv.js';
import { pagedCsv } from './paged-csv.js';

/** The columns of a relation export: the import file's own, so the file can be edited and imported back. */
export const relationCsvColumns = ['external_userid', 'name', 'gender', 'province', 'city', 'corp_name', 'userid', 'add_time', 'tags'] as const;

/** Relations read per query while exporting (a keyset page on the follows primary key). */
export const relationExportPageSize = 1000;

type RelationRow = {
  userid: string;
  external_userid: string;
  add_time: Date | string;
  name: string;
  gender: number;
  province: string;
  city: string;
  corp_name: string;
  tag_ids: string[] | null;
};

/**
 * Exports one row per follow relation in the actor's data scope, in the import file's columns:
 * edit it in a spreadsheet and import it back (the import adds what is new). The tags are the
 * relation's own, of groups the actor can see, and only those an import accepts: enterprise and
 * rule-group tags (smart tags are kept by rules, personal tags are never imported). Streamed a
 * keyset page at a time, like the customer export; `onPage` hears the running count.
 */
export async function exportRelationsCsv(ctx: Ctx, opts: { onPage?: (done: number, total: number) => void } = {}): Promise<CustomerExport> {
  const policy = await policyFor(ctx);
  policy.authorize('customer.export');
  const catalog = await loadCatalog(ctx);
  const inScope = policy.reach === 'all' ? sql`true` : sql`f.userid = any(${sql.param([...policy.reach])}::text[])`;
  const [count] = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from follows f where f.corp_id = ${ctx.corpId} and ${inScope}`);
  const total = Number(count?.n ?? 0);
  const chunks = pagedCsv<RelationRow>(
    relationCsvColumns,
    relationExportPageSize,
    async (after) => {
      const rows = await relationPage(ctx, inScope, after);
      if (rows.length === 0) return null;
      return { records: rows.map((r) => relationRecord(r, catalog)).join(''), count: rows.length, last: rows[rows.length - 1]! };
    },
    (done) => opts.onPage?.(done, total),
  );
  return { total, chunks };
}

async function relationPage(ctx: Ctx, inScope: SQL, after: RelationRow | null): Promise<RelationRow[]> {
  const from = after ? sql`and (f.userid, f.external_userid) > (${after.userid}, ${after.external_userid})` : sql``;
  return queryRows<RelationRow>(
    ctx.db,
    sql`
    select f.userid, f.external_userid, f.add_time, c.name, c.gender, c.province, c.city, c.corp_name,
      (select array_agg(m.tag_id) from marks m where m.corp_id = f.corp_id and m.external_userid = f.external_userid and m.userid = f.userid) as tag_ids
    from follows f join customers c on c.corp_id = f.corp_id and c.external_userid = f.external_userid
    where f.corp_id = ${ctx.corpId} and ${inScope} ${from}
    order by f.userid, f.external_userid
    limit ${relationExportPageSize}`,
  );
}

function relationRecord(r: RelationRow, catalog: AudienceCatalog): string {
  const tags = (r.tag_ids ?? []).flatMap((id) => {
    const t = catalog.tags.get(id);
    return t && (t.kind === 'corp' || t.kind === 'strategy') ? [`${t.groupName}/${t.name}`] : [];
  });
  const addTime = r.add_time instanceof Date ? r.add_time.toISOString() : new Date(r.add_time).toISOString();
  return csvRecord([r.external_userid, r.name, genderName(r.gender), r.province, r.city, r.corp_name, r.userid, addTime, tags.sort().join(';')]);
}
