import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { wecomConnections } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { requireSecretBox, type SecretBox } from './secret-box.js';
import { type TokenStore, WecomClient } from './wecom-client.js';

/** A corp's WeCom connection as stored (secret columns still sealed). */
export type ConnectionRow = typeof wecomConnections.$inferSelect;

/** The sealed columns and the place each is sealed for (the corp and the column, see SecretBox). */
export const sealedPlace = {
  secret: (corpId: string) => `${corpId}/secret`,
  callbackToken: (corpId: string) => `${corpId}/callback_token`,
  aesKey: (corpId: string) => `${corpId}/aes_key`,
  accessToken: (corpId: string) => `${corpId}/access_token`,
  jsapiTicket: (corpId: string) => `${corpId}/jsapi_ticket`,
} as const;

/** The corp's connection row, or null when the corp is not connected. */
export async function findConnection(db: Db, corpId: string): Promise<ConnectionRow | null> {
  const [row] = await db.select().from(wecomConnections).where(eq(wecomConnections.corpId, corpId));
  return row ?? null;
}

/** The corp's connection row, or the coded error the console shows ("connect first"). */
export async function requireConnection(db: Db, corpId: string): Promise<ConnectionRow> {
  const row = await findConnection(db, corpId);
  if (!row) throw new AppError('connector_not_configured');
  return row;
}

/** The callback token and EncodingAESKey in the clear, or null when callbacks are not set up. */
export function callbackSecrets(box: SecretBox, row: ConnectionRow): { token: string; aesKey: string } | null {
  if (!row.callbackTokenSealed || !row.aesKeySealed) return null;
  return {
    token: box.open(row.callbackTokenSealed, sealedPlace.callbackToken(row.corpId)),
    aesKey: box.open(row.aesKeySealed, sealedPlace.aesKey(row.corpId)),
  };
}

/** Keeps the access token sealed on the connection row, so every process shares one token. */
function rowTokenStore(db: Db, box: SecretBox, corpId: string): TokenStore {
  return {
    load: async () => {
      const row = await findConnection(db, corpId);
      if (!row?.accessTokenSealed || !row.tokenExpiresAt) return null;
      return { token: box.open(row.accessTokenSealed, sealedPlace.accessToken(corpId)), expiresAt: row.tokenExpiresAt };
    },
    save: async (token, expiresAt) => {
      await db
        .update(wecomConnections)
        .set({ accessTokenSealed: box.seal(token, sealedPlace.accessToken(corpId)), tokenExpiresAt: expiresAt })
        .where(eq(wecomConnections.corpId, corpId));
    },
  };
}

// One client per database, corp and connection version, so concurrent pushes share the cached token.
// A saved connection changes `updated_at`, which builds a new client (a new secret or base URL).
const clientsByDb = new WeakMap<Db, Map<string, { version: number; client: WecomClient }>>();

/**
 * A WeCom client for the corp's connection: the secret opened with the server's key, the token
 * shared through the row. Throws `connector_key_missing` without a key and
 * `connector_not_configured` when the corp is not connected.
 * @example const client = await connectionClient(db, app.secretBox, corpId);
 */
export async function connectionClient(
  db: Db,
  box: SecretBox | null,
  corpId: string,
  opts: { fetch?: typeof fetch; row?: ConnectionRow } = {},
): Promise<WecomClient> {
  const sealer = requireSecretBox(box);
  const row = opts.row ?? (await requireConnection(db, corpId));
  const version = row.updatedAt.getTime();
  let clients = clientsByDb.get(db);
  if (!clients) clientsByDb.set(db, (clients = new Map()));
  const known = clients.get(corpId);
  if (known && known.version === version && !opts.fetch) return known.client;
  const client = new WecomClient({
    apiBase: row.apiBase,
    corpid: row.wecomCorpid,
    secret: sealer.open(row.secretSealed, sealedPlace.secret(corpId)),
    tokens: rowTokenStore(db, sealer, corpId),
    fetch: opts.fetch,
  });
  if (!opts.fetch) clients.set(corpId, { version, client });
  return client;
}
