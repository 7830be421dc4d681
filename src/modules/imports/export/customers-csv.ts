import { type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { policyFor } from '../../../policies/index.js';
import { loadCatalog } from '../../audiences/service/catalog.js';
import { customersBySeq } from '../../audiences/service/customer-rows.js';
import { audienceCsvColumns, audienceCsvRecord } from '../../audiences/service/export-csv.js';
import { pagedCsv } from './paged-csv.js';

/** Customers read per query while exporting: the keyset page, so memory stays flat at any size. */
export const customerExportPageSize = 1000;

/** A customer export ready to stream: how many customers it holds, and its CSV chunks. */
export type CustomerExport = { total: number; chunks: AsyncGenerator<string> };

/**
 * Exports the customers the actor may see (at least one follower inside their data scope) in the
 * audience export's columns: tags are only those of groups the actor can see, and personal tags
 * only the actor's own. Authorizes (`customer.export`) and counts before the first byte, so a
 * refusal is a proper error; rows are then read a keyset page at a time as the consumer pulls.
 * `onPage` hears the running count (the CLI's progress bar).
 */
export async function exportCustomersCsv(ctx: Ctx, opts: { onPage?: (done: number, total: number) => void } = {}): Promise<CustomerExport> {
  const policy = await policyFor(ctx);
  policy.authorize('customer.export');
  const catalog = await loadCatalog(ctx);
  const inScope =
    policy.reach === 'all'
      ? sql`true`
      : sql`exists (select 1 from follows f where f.corp_id = c.corp_id and f.external_userid = c.external_userid and f.userid = any(${sql.param([...policy.reach])}::text[]))`;
  const [count] = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from customers c where c.corp_id = ${ctx.corpId} and ${inScope}`);
  const total = Number(count?.n ?? 0);
  const chunks = pagedCsv<number>(
    audienceCsvColumns,
    customerExportPageSize,
    async (after) => {
      const seqs = await pageSeqs(ctx, inScope, after ?? -1);
      if (seqs.length === 0) return null;
      const rows = await customersBySeq(ctx, seqs);
      return { records: rows.map((c) => audienceCsvRecord(c, catalog)).join(''), count: seqs.length, last: seqs[seqs.length - 1]! };
    },
    (done) => opts.onPage?.(done, total),
  );
  return { total, chunks };
}

async function pageSeqs(ctx: Ctx, inScope: SQL, after: number): Promise<number[]> {
  const rows = await queryRows<{ seq: number }>(
    ctx.db,
    sql`
    select c.seq::int4 as seq from customers c
    where c.corp_id = ${ctx.corpId} and c.seq > ${after} and ${inScope}
    order by c.seq limit ${customerExportPageSize}`,
  );
  return rows.map((r) => Number(r.seq));
}
