import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp, serverLogger } from './app.js';
import type { Database } from './db/client.js';
import { fillNameInitials } from './db/fill-name-initials.js';
import { openFromEnv } from './db/open-from-env.js';
import { corps } from './db/schema/index.js';
import { seedDemoCorp } from './demo/seed-demo.js';
import type { Env } from './env.js';
import { AppError } from './errors.js';
import { snapshotFolderOf } from './modules/audiences/snapshot/file-store.js';
import { SecretBox } from './modules/connector/secret-box.js';
import { ensureConsoleBuilt } from './plugins/console.js';

/** Seeds the demo corp when the database has no corp at all, and says how to reach it. */
export async function ensureDemoCorp(database: Database, env: Env, log: (line: string) => void): Promise<void> {
  const [any] = await database.db.select({ id: corps.corpId }).from(corps).limit(1);
  if (any) return;
  log('Empty database: creating the demo corp (about 5,000 synthetic customers)…');
  let demo: Awaited<ReturnType<typeof seedDemoCorp>>;
  try {
    demo = await seedDemoCorp(database.db, { secret: env.TAGLOOM_DEMO_SECRET });
  } catch (error) {
    // Several processes started together on one empty database (docs/deploy.md): the first to
    // insert the corp row seeds it; the others find the row taken and serve what it writes.
    if (!(error instanceof AppError && error.code === 'conflict')) throw error;
    log('Another process is creating the demo corp; serving it as it fills.');
    return;
  }
  log(`Demo corp ready: corpid=${demo.corpId}, ${demo.employees} employees, ${demo.customers} customers, ${demo.marks} marks.`);
  // The secret is shown once, on the terminal only (never the log), because only its hash is kept.
  if (!env.TAGLOOM_DEMO_SECRET) log(`Demo customer-contact secret (shown once; set TAGLOOM_DEMO_SECRET to choose it): ${demo.secret}`);
  else log('Demo customer-contact secret: the value of TAGLOOM_DEMO_SECRET.');
}

/**
 * Starts the server: opens and migrates the database, seeds the demo corp into an empty one,
 * listens, and stops gracefully on SIGINT / SIGTERM (`stopOnSignals`). `overrides` are app options
 * for tests (a slowed-down worker).
 */
export async function startServer(env: Env, overrides: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const database = await openFromEnv(env, 'tagloom serve');
  let app: FastifyInstance | null = null;
  let url: string;
  try {
    await ensureDemoCorp(database, env, (line) => process.stdout.write(`${line}\n`));
    const consoleDir = await ensureConsoleBuilt((line) => process.stdout.write(`${line}\n`));
    // Fastify takes a hop count for trustProxy at run time; its type declarations leave the number out.
    const trustProxy = env.TAGLOOM_TRUST_PROXY as AppOptions['trustProxy'];
    app = await buildApp({
      db: database.db,
      logger: { ...serverLogger, level: env.LOG_LEVEL },
      trustProxy,
      listen: database.listen,
      warmAudiences: true,
      dbKind: database.kind,
      snapshotDir: database.lock ? (snapshotFolderOf(database.lock.dir) ?? undefined) : undefined,
      health: database.health,
      platformKey: env.TAGLOOM_PLATFORM_KEY,
      secretBox: env.TAGLOOM_SECRET_KEY ? SecretBox.fromKeyText(env.TAGLOOM_SECRET_KEY) : null,
      allowPrivateWebhooks: env.TAGLOOM_WEBHOOK_ALLOW_PRIVATE,
      consoleDir,
      ...overrides,
    });
    const address = new URL(await app.listen({ port: env.PORT, host: env.HOST }));
    if (env.HOST === '0.0.0.0') address.hostname = 'localhost';
    url = address.origin;
  } catch (error) {
    // The port is taken, say: let go of the database (and a PGlite folder's lock) before failing.
    await app?.close().catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
  database.lock?.note({ url });
  process.stdout.write(
    `Tagloom serves ${url}  (WeCom API /cgi-bin, native API /api/v1, docs /docs; ${database.kind}${database.kind === 'pglite' ? ` in ${env.TAGLOOM_DATA_DIR}` : ''})\n`,
  );
  // Older customers' pinyin initials are filled behind the running server (see fillNameInitials).
  const stopFilling = new AbortController();
  const log = app.log;
  const filling = fillNameInitials(database.db, { signal: stopFilling.signal }).then(
    (n) => n > 0 && log.info({ filled: n }, 'customer name initials filled'),
    (error: unknown) => log.error({ err: error }, 'filling customer name initials failed; the next start retries'),
  );
  stopOnSignals(app, database, async () => {
    stopFilling.abort();
    await filling;
  });
  return app;
}

// Requests still running this long after a stop began are cut off, so a stop always ends.
const drainMs = 10_000;

/**
 * On the first SIGINT or SIGTERM: stop taking requests (the listener closes; progress streams
 * end), let requests in flight finish, hand a running batch back to the queue, stop the worker,
 * the audience engine and their LISTEN connections, end background work (`beforeClose`), close
 * the database (a PGlite folder is unlocked), and exit 0. A second signal while stopping exits at once with 1.
 */
export function stopOnSignals(app: FastifyInstance, database: Database, beforeClose: () => Promise<void> = async () => {}): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(
        `${signal} again: stopping now, without waiting.${database.kind === 'pglite' ? ' PGlite recovers its files at the next start.' : ''}\n`,
      );
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`${signal}: stopping (${signal} again to stop at once)…\n`);
    const cutOff = setTimeout(() => app.server.closeAllConnections(), drainMs).unref();
    void (async () => {
      try {
        await app.close();
        await beforeClose();
        await database.close();
      } catch (error) {
        process.stderr.write(`Stopped with an error: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      }
      clearTimeout(cutOff);
      process.stdout.write('Stopped.\n');
      process.exit(0);
    })();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
