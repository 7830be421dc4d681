import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../../../context.js';
import type { Database } from '../../../db/client.js';
import { buildApiScene } from '../../../test/api.js';
import { dbKinds, openTestDatabase } from '../../../test/db.js';
import { verifyApiKey } from '../../auth/tokens.js';
import { rotateAppSecret } from './rotate-app-secret.js';

// Only a server lets another request check a key while the rotation's transaction is open; on
// PGlite (one connection) that request waits for the commit, so the race cannot happen there.
describe.runIf(dbKinds.includes('postgres'))('secret rotation and the key cache [postgres]', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
  }, 60_000);
  afterAll(() => database.close());

  it('a key checked while the rotation is open, and cached, stops working when the rotation commits', async () => {
    const s = await buildApiScene(database.db);
    await withTx(s.ctx, async (tx) => {
      await rotateAppSecret(tx, { appId: 'customer_contact' });
      // Meanwhile another request checks the old secret: until the commit the database still has it.
      await expect(verifyApiKey(database.db, s.key)).resolves.toMatchObject({ appId: 'customer_contact' });
    });
    await expect(verifyApiKey(database.db, s.key)).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
