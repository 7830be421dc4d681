import type { Ctx } from '../../../context.js';
import { csvRecord, utf8Bom } from '../../audit/audit.csv.js';
import type { Bitmap } from '../index/bitmaps.js';
import type { AudienceCatalog } from './catalog.js';
import { type AudienceCustomer, customersBySeq } from './customer-rows.js';

/** The columns of an audience export. */
export const audienceCsvColumns = ['external_userid', 'name', 'gender', 'province', 'city', 'corp_name', 'followers', 'tags'] as const;

const pageSize = 1000;
const genders = ['unknown', 'male', 'female'];

/** A gender code as exported (`unknown` / `male` / `female`; an unexpected code as its number). */
export function genderName(code: number): string {
  return genders[code] ?? String(code);
}

/** One customer as a CSV record; tags are the ones the actor may see, as `group/tag`, `;`-separated. */
export function audienceCsvRecord(c: AudienceCustomer, catalog: AudienceCatalog): string {
  const tags = c.tagIds.flatMap((id) => {
    const t = catalog.tags.get(id);
    return t ? [t.groupName ? `${t.groupName}/${t.name}` : t.name] : [];
  });
  return csvRecord([c.externalUserid, c.name, genderName(c.gender), c.province, c.city, c.corpName, c.followers.join(';'), tags.sort().join(';')]);
}

/**
 * The members as CSV chunks (BOM and header first, then a page of customers per chunk). The set is
 * fixed when the export starts, as an array of seqs (4 bytes each), and rows are read a page at a
 * time when the client is ready for them, so a million rows never sit in memory together.
 */
export async function* audienceCsvChunks(ctx: Ctx, catalog: AudienceCatalog, members: Bitmap): AsyncGenerator<string> {
  yield utf8Bom + csvRecord([...audienceCsvColumns]);
  const seqs = members.toUint32Array();
  for (let i = 0; i < seqs.length; i += pageSize) {
    const rows = await customersBySeq(ctx, Array.from(seqs.subarray(i, i + pageSize)));
    yield rows.map((c) => audienceCsvRecord(c, catalog)).join('');
  }
}
