import { csvRecord, utf8Bom } from '../../audit/audit.csv.js';

/** One keyset page of an export: its CSV records, how many rows they are, and the key to read on from. */
export type CsvPage<K> = { records: string; count: number; last: K };

/**
 * Streams an export as CSV chunks: the BOM and header, then one chunk per keyset page, read only
 * when the consumer pulls (memory stays flat at any size). Stops at an empty or short page;
 * `onPage` hears the running row count.
 */
export async function* pagedCsv<K>(
  header: readonly string[],
  pageSize: number,
  readPage: (after: K | null) => Promise<CsvPage<K> | null>,
  onPage?: (done: number) => void,
): AsyncGenerator<string> {
  yield utf8Bom + csvRecord([...header]);
  let after: K | null = null;
  let done = 0;
  for (;;) {
    const page = await readPage(after);
    if (page === null || page.count === 0) return;
    yield page.records;
    done += page.count;
    onPage?.(done);
    after = page.last;
    if (page.count < pageSize) return;
  }
}
