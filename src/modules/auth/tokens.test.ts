import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { clearAuthCache, verifyApiKey } from './tokens.js';

/** A database whose one query (the key lookup) answers `rows` when they resolve. */
function dbAnswering(rows: Promise<unknown[]>): Db {
  return { select: () => ({ from: () => ({ where: () => rows }) }) } as unknown as Db;
}

const appRow = { corpId: 'ww1', appId: 'apOne', kind: 'app', rangeDepartments: [2], rangeUserids: [] };

describe('API key cache', () => {
  beforeEach(() => clearAuthCache());

  it('answers a key it checked from memory, without the database', async () => {
    await expect(verifyApiKey(dbAnswering(Promise.resolve([appRow])), 'secret-1')).resolves.toMatchObject({ appId: 'apOne', range: { departments: [2] } });
    await expect(verifyApiKey(dbAnswering(Promise.resolve([])), 'secret-1')).resolves.toMatchObject({ appId: 'apOne' });
  });

  it('forgets every key when cleared (a rotation committed)', async () => {
    await verifyApiKey(dbAnswering(Promise.resolve([appRow])), 'secret-1');
    clearAuthCache();
    await expect(verifyApiKey(dbAnswering(Promise.resolve([])), 'secret-1')).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('does not remember a key read before a clear that came while the read was in flight', async () => {
    let answer!: (rows: unknown[]) => void;
    const lookup = verifyApiKey(dbAnswering(new Promise((resolve) => (answer = resolve))), 'secret-1');
    // The rotation commits and clears the cache while the lookup still holds the old row.
    clearAuthCache();
    answer([appRow]);
    await expect(lookup).resolves.toMatchObject({ appId: 'apOne' });
    // The next request asks the database, which no longer knows the old secret.
    await expect(verifyApiKey(dbAnswering(Promise.resolve([])), 'secret-1')).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
