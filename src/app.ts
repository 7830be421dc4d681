import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { nativeApiPlugin } from './api/api.plugin.js';
import type { Database, Db } from './db/client.js';
import { DatabaseHealth } from './db/health.js';
import { corps } from './db/schema/index.js';
import { answerFrameworkError } from './edge/framework-errors.js';
import { unreadBodyPlugin } from './edge/unread-body.plugin.js';
import { EventConsumers } from './events/consumers.js';
import { newId } from './ids.js';
import { AudienceEngine } from './modules/audiences/service/engine.js';
import { wecomCallbacksPlugin } from './modules/connector/callbacks/callbacks.plugin.js';
import { wecomPush } from './modules/connector/push/push-consumer.js';
import { WecomPusher, type WecomPusherOptions } from './modules/connector/push/pusher.js';
import type { SecretBox } from './modules/connector/secret-box.js';
import { MomentDispatcher, type MomentDispatcherOptions } from './modules/moments/dispatch/moment-dispatcher.js';
import { momentSuppression } from './modules/moments/suppression/suppression-consumer.js';
import { OperationWorker, type WorkerOptions } from './modules/operations/jobs/worker.js';
import { type RuleEngineOptions, ruleEngine } from './modules/rules/engine/rule-engine.js';
import { smartGroupMaintainer } from './modules/smart-groups/maintain.js';
import { hooksPlugin } from './modules/webhooks/hooks.plugin.js';
import { WebhookSender, type WebhookSenderOptions } from './modules/webhooks-out/webhook-sender.js';
import { webhooksOut } from './modules/webhooks-out/webhooks-out.consumer.js';
import { consolePlugin } from './plugins/console.js';
import { swaggerPlugin } from './plugins/swagger.js';
import { wecomPlugin } from './wecom/wecom.plugin.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The database every route's context is built on. */
    db: Db;
    /** Every route registered, as method and URL pattern; the tenant-isolation test walks it. */
    routeTable: { method: string; url: string }[];
    /** The audience indexes of this process (one per corp, kept current from the events table). */
    audiences: AudienceEngine;
    /** Every reader of the events table in this process (the audience index first). */
    consumers: EventConsumers;
    /** The batch-job worker of this process (its live progress feeds the progress streams). */
    operations: OperationWorker;
    /** The poller that sends due Moments deliveries. */
    momentDispatch: MomentDispatcher;
    /** The poller that sends queued local changes to WeCom. */
    wecomPusher: WecomPusher;
    /** Seals the WeCom secrets at rest; null when the server has no `TAGLOOM_SECRET_KEY`. */
    secretBox: SecretBox | null;
    /** Outbound webhooks may target private addresses (`TAGLOOM_WEBHOOK_ALLOW_PRIVATE`). */
    allowPrivateWebhooks: boolean;
    /** The poller that sends due outbound webhook deliveries. */
    webhookSender: WebhookSender;
  }
}

/** Options for `buildApp`: the open database and the logger setting. */
export type AppOptions = {
  db: Db;
  logger?: FastifyServerOptions['logger'];
  trustProxy?: FastifyServerOptions['trustProxy'];
  /** How the event consumers hear of commits (NOTIFY); without it, they poll once a second. */
  listen?: Database['listen'];
  /** Build every corp's audience index at start (the server does; tests build on first use). */
  warmAudiences?: boolean;
  /** The database driver: on PGlite the worker cannot write progress beside its job's transaction. */
  dbKind?: 'pglite' | 'postgres';
  /** On PGlite with a data folder, where the audience index snapshots are kept as files (see snapshot/file-store.ts). */
  snapshotDir?: string;
  /** Run queued batch jobs in this process (default true); tests turn it off to drive the worker by hand. */
  runJobs?: boolean;
  /** Worker tuning (chunk size, poll period, test hooks). */
  worker?: Omit<WorkerOptions, 'kind' | 'log'>;
  /** The built web console to serve at `/` (and the sidebar at `/sidebar`); without it only the APIs are served. */
  consoleDir?: string | null;
  /** The platform operator's key (`TAGLOOM_PLATFORM_KEY`); without it the `/platform` routes do not exist. */
  platformKey?: string;
  /** The rule engine's clock and schedule polling (tests move the clock). */
  rules?: RuleEngineOptions;
  /** The Moments dispatcher's clock and polling (tests move the clock or tick it by hand). */
  moments?: Omit<MomentDispatcherOptions, 'log'>;
  /** The WeCom push's clock, polling, rate limit and fetch (tests tick it by hand). */
  push?: Omit<WecomPusherOptions, 'log'>;
  /** Seals the WeCom connector's secrets (from `TAGLOOM_SECRET_KEY`); without it the connector cannot be configured. */
  secretBox?: SecretBox | null;
  /** Let outbound webhooks target private and loopback addresses (tests, intranet CRMs). */
  allowPrivateWebhooks?: boolean;
  /** The outbound webhook sender's clock, polling and tuning (tests move the clock or tick it by hand). */
  webhooks?: Omit<WebhookSenderOptions, 'log'>;
  /** The database's reachability (`Database.health`) for `/readyz`; without it the database counts as up. */
  health?: DatabaseHealth;
};

// Secrets travel in WeCom query strings (access_token, corpsecret); they never reach a log line.
const secretParams = /([?&](?:access_token|corpsecret)=)[^&]*/gi;

/** Strips secrets from a URL before it is logged. */
export function redactUrl(url: string): string {
  return url.replace(secretParams, '$1[redacted]');
}

/**
 * Builds the HTTP app without listening: the WeCom-compatible surface under `/cgi-bin`, the native
 * REST API under `/api/v1`, signed inbound webhooks under `/hooks`, and OpenAPI docs at `/docs`. Tests build it and use `inject`.
 */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    genReqId: () => newId.request(),
    bodyLimit: 4 * 1024 * 1024,
    trustProxy: opts.trustProxy ?? false,
    frameworkErrors: answerFrameworkError,
    // PGlite runs its queries on this thread: warming a large corp's index from it can hold the event
    // loop past Fastify's 10 s default, which then fails the start ("Plugin did not start in time")
    // although nothing hangs. A plugin that truly hangs still fails, after 5 minutes.
    pluginTimeout: 5 * 60_000,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('db', opts.db);
  app.decorate('secretBox', opts.secretBox ?? null);
  app.decorate('allowPrivateWebhooks', opts.allowPrivateWebhooks ?? false);
  const routeTable: { method: string; url: string }[] = [];
  app.decorate('routeTable', routeTable);
  const health = opts.health ?? new DatabaseHealth();
  // A lost database connection is logged once when the outage starts and once when it ends, not by
  // every background poll that fails meanwhile.
  const offHealth = health.onChange((state) =>
    state.up ? app.log.info('database reachable again') : app.log.error({ reason: state.reason }, 'database unavailable; retrying'),
  );
  app.addHook('onClose', async () => offHealth());
  const logUnlessOutage = (error: unknown, message: string) => {
    if (!health.noteFailure(error)) app.log.error({ err: error }, message);
  };
  // The readers of the events table, each woken when events commit. The audience index keeps an
  // in-memory cursor (saved with its snapshot; without one it rebuilds at start); the smart-group maintainer follows the index, so it
  // runs after the index took the events in. Durable consumers (cursor in `event_consumers`) are
  // added with `consumers.register({ name, handle })`.
  // On PGlite a snapshot's bytes in the table pass through text in JavaScript on the one connection
  // every request shares (measured 4.5 MB/s writing, 12 MB/s reading), so a PGlite data folder keeps
  // them as files, uncapped; PGlite in memory keeps only small ones in the table.
  const pgliteSnapshotBytes = 4 * 2 ** 20;
  const snapshotPolicy = opts.dbKind === 'postgres' ? {} : opts.snapshotDir ? { dir: opts.snapshotDir } : { maxBytes: pgliteSnapshotBytes };
  const consumers = new EventConsumers(opts.db, {
    listen: opts.listen,
    onError: (error: unknown) => {
      if (process.env.DEBUG_CONSUMERS) console.error('CONSUMER', error);
      logUnlessOutage(error, 'event consumer failed');
    },
  });
  const audiences = consumers.add(
    new AudienceEngine(opts.db, {
      buildOnNotify: opts.warmAudiences,
      // A server starts each corp from its persisted snapshot and keeps it saved (restart in about a second).
      snapshots: opts.warmAudiences ? snapshotPolicy : undefined,
      log: (fields, message) => app.log.info(fields, message),
      onError: (error: unknown) => logUnlessOutage(error, 'audience index refresh failed'),
    }),
  );
  audiences.follow(smartGroupMaintainer(opts.db));
  consumers.register(ruleEngine(opts.rules));
  consumers.register(momentSuppression());
  consumers.register(webhooksOut());
  consumers.register(wecomPush());
  await consumers.start();
  // Every corp's index is built at start in a server, so smart groups resume without waiting for a request.
  if (opts.warmAudiences) void audiences.warm((await opts.db.select({ corpId: corps.corpId }).from(corps)).map((r) => r.corpId));
  app.decorate('audiences', audiences);
  app.decorate('consumers', consumers);
  app.addHook('onClose', () => consumers.stop());
  const operations = new OperationWorker(opts.db, {
    secretBox: opts.secretBox ?? null,
    ...opts.worker,
    kind: opts.dbKind ?? 'pglite',
    listen: opts.listen,
    log: logUnlessOutage,
  });
  app.decorate('operations', operations);
  if (opts.runJobs ?? true) await operations.start();
  // A stop hands a running batch back while requests drain, not after: the worker needs no HTTP.
  let workerStopped: Promise<void> | null = null;
  app.addHook('preClose', async () => {
    workerStopped = operations.stop();
    workerStopped.catch(() => {}); // awaited (and reported) by the onClose hook below
  });
  app.addHook('onClose', () => (workerStopped ??= operations.stop()));
  const momentDispatch = new MomentDispatcher(opts.db, { ...opts.moments, log: logUnlessOutage });
  app.decorate('momentDispatch', momentDispatch);
  momentDispatch.start();
  app.addHook('onClose', () => momentDispatch.stop());
  const webhookSender = new WebhookSender(opts.db, opts.allowPrivateWebhooks ?? false, { ...opts.webhooks, log: logUnlessOutage });
  app.decorate('webhookSender', webhookSender);
  webhookSender.start();
  app.addHook('onClose', () => webhookSender.stop());
  const wecomPusher = new WecomPusher(opts.db, opts.secretBox ?? null, { ...opts.push, log: logUnlessOutage });
  app.decorate('wecomPusher', wecomPusher);
  wecomPusher.start();
  app.addHook('onClose', () => wecomPusher.stop());
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeTable.push({ method, url: route.url });
  });

  await app.register(unreadBodyPlugin);
  await app.register(swaggerPlugin);
  await app.register(wecomPlugin, { prefix: '/cgi-bin' });
  await app.register(nativeApiPlugin, { prefix: '/api/v1', platformKey: opts.platformKey });
  await app.register(hooksPlugin, { prefix: '/hooks' });
  await app.register(wecomCallbacksPlugin, { prefix: '/hooks/wecom' });
  if (opts.consoleDir) await app.register(consolePlugin, { dir: opts.consoleDir });
  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  // Ready once every corp's audience index is built (before that the first counts and smart-group
  // updates wait for a build, so a load balancer, or a benchmark, should hold traffic back) and while
  // the database answers.
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const warming = audiences.warming;
    const database = await health.check();
    const ready = warming === 0 && database.up;
    // The driver's message goes to the log only: it may name the database's host.
    return reply
      .code(ready ? 200 : 503)
      .send({ ready, warmingCorps: warming, database: database.up ? 'up' : 'down', ...(database.up ? {} : { reason: 'The database is unreachable.' }) });
  });
  return app;
}

/** Pino options for the server: request URLs are logged with secrets stripped. */
export const serverLogger = {
  level: process.env.LOG_LEVEL ?? 'info',
  serializers: {
    req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: redactUrl(req.url), id: req.id }),
  },
};
