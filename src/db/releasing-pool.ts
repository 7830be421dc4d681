import pg from 'pg';

const guarded = Symbol('tagloom.beginGuard');
type GuardedClient = pg.PoolClient & { [guarded]?: true };

/** Whether a query (text or config object) opens a transaction, as Drizzle's `begin` does. */
function isBegin(query: unknown): boolean {
  const text = typeof query === 'string' ? query : (query as { text?: unknown } | null)?.text;
  return typeof text === 'string' && /^\s*begin\b/i.test(text);
}

/**
 * Drizzle's node-postgres `transaction()` sends BEGIN before its try/finally, so a BEGIN that fails
 * (a pooled connection whose backend was just terminated) never releases the client: the pool
 * shrinks by one for good and `pool.end()` waits for ever. Here such a client goes back (and is
 * discarded) at once, and the later `release()` of that checkout does nothing.
 */
function guardBegin(client: GuardedClient): pg.PoolClient {
  // The pool sets a fresh `release` on every checkout; make this checkout's idempotent.
  const release = client.release.bind(client);
  let released = false;
  client.release = (err?: Error | boolean) => {
    if (released) return;
    released = true;
    release(err);
  };
  if (!client[guarded]) {
    client[guarded] = true;
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const result = query(...args);
      if (!isBegin(args[0]) || !(result instanceof Promise)) return result;
      return result.catch((error: unknown) => {
        client.release(error instanceof Error ? error : true);
        throw error;
      });
    };
  }
  return client;
}

/** node-postgres's pool, with clients whose failed BEGIN is released (see `guardBegin`). */
export class ReleasingPool extends pg.Pool {
  // Drizzle calls connect() with no callback; a callback caller gets the plain client.
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(
    callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): Promise<pg.PoolClient> | undefined {
    if (callback) return void super.connect(callback);
    return super.connect().then(guardBegin);
  }
}
