import type { FastifyInstance } from 'fastify';
import { buildApp, serverLogger, type AppOptions } from './app.js';
import { openDatabase, type Database } from './db/client.js';
import { corps } from './db/schema/index.js';
import { demoCorpId, seedDemoCorp } from './demo/seed-demo.js';
import type { Env } from './env.js';

/** Opens the database the environment names: a PostgreSQL server, or PGlite in the data folder. */
export function openFromEnv(env: Env): Promise<Database> {
  return openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.TAGLOOM_DATA_DIR });
}

/** Seeds the demo corp when the database has no corp at all, and says how to reach it. */
export async function ensureDemoCorp(database: Database, env: Env, log: (line: string) => void): Promise<void> {
  const [any] = await database.db.select({ id: corps.corpId }).from(corps).limit(1);
  if (any) return;
  log('Empty database: creating the demo corp (about 5,000 synthetic customers)…');
  const demo = await seedDemoCorp(database.db, { secret: env.TAGLOOM_DEMO_SECRET });
  log(`Demo corp ready: corpid=${demo.corpId}, ${demo.employees} employees, ${demo.customers} customers, ${demo.marks} marks.`);
  // The secret is shown once, on the terminal only (never the log), because only its hash is kept.
  if (!env.TAGLOOM_DEMO_SECRET) log(`Demo customer-contact secret (shown once; set TAGLOOM_DEMO_SECRET to choose it): ${demo.secret}`);
  else log('Demo customer-contact secret: the value of TAGLOOM_DEMO_SECRET.');
}

/**
 * Starts the server: opens and migrates the database, seeds the demo corp into an empty one,
 * listens, and closes cleanly on SIGINT / SIGTERM.
 */
export async function startServer(env: Env): Promise<FastifyInstance> {
  const database = await openFromEnv(env);
  await ensureDemoCorp(database, env, (line) => process.stdout.write(`${line}\n`));
  // Fastify takes a hop count for trustProxy at run time; its type declarations leave the number out.
  const trustProxy = env.TAGLOOM_TRUST_PROXY as AppOptions['trustProxy'];
  const app = await buildApp({ db: database.db, logger: { ...serverLogger, level: env.LOG_LEVEL }, trustProxy, listen: database.listen, warmAudiences: true, dbKind: database.kind, platformKey: env.TAGLOOM_PLATFORM_KEY });
  app.addHook('onClose', () => database.close());
  await app.listen({ port: env.PORT, host: env.HOST });
  process.stdout.write(`Tagloom serves http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${env.PORT}  (WeCom API /cgi-bin, native API /api/v1, docs /docs; ${database.kind}${database.kind === 'pglite' ? ` in ${env.TAGLOOM_DATA_DIR}` : ''})\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void app.close().then(() => process.exit(0));
    });
  }
  return app;
}

export { demoCorpId };
