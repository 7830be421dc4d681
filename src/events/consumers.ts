import type { Database, Db } from '../db/client.js';
import { corps } from '../db/schema/index.js';
import { type ConsumerDefinition, DurableConsumer } from './consumer.js';

/**
 * Anything that reads the events table and wants waking when events commit: the durable consumers
 * of consumer.ts, and the in-memory audience index (which rebuilds at start and so keeps its cursor
 * in memory).
 */
export type EventConsumer = {
  readonly name: string;
  /** Events of this corp committed: read them soon. */
  nudge(corpId: string): void;
  /** The fallback timer fired (notifications can be lost while the listening connection reconnects). */
  tick(): void;
  /** Resolves once every event of the corp committed before the call has been taken in. */
  settle(corpId: string): Promise<void>;
  stop(): Promise<void>;
};

/** Options: how to hear of commits, how often to poll anyway, where failures go. */
export type ConsumersOptions = {
  listen?: Database['listen'];
  /** Fallback poll period. */
  pollMs?: number;
  onError?: (error: unknown) => void;
};

/**
 * The event consumers of this process, in registration order, woken by one LISTEN on
 * `tagloom_events` (a trigger on `events` sends the corp id at commit) and one slow timer. Built and
 * started in app.ts; a new reader of the events table (rule engine, webhooks, the WeCom connector)
 * registers here with `register({ name, handle })`.
 */
export class EventConsumers {
  private readonly list: EventConsumer[] = [];
  private readonly durables: DurableConsumer[] = [];
  private allCorps: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly db: Db,
    private readonly opts: ConsumersOptions = {},
  ) {}

  /** Adds a reader with its own cursor handling (the audience index). */
  add<C extends EventConsumer>(consumer: C): C {
    if (this.list.some((c) => c.name === consumer.name)) throw new Error(`event consumer ${consumer.name} is registered twice`);
    this.list.push(consumer);
    return consumer;
  }

  /**
   * Registers a durable consumer (cursor in `event_consumers`, effects committed with it); see
   * consumer.ts. Register before `start`. `settle(corpId)` or the returned consumer's `poll(corpId)`
   * runs it now (read-your-writes); `nudge(corpId)` asks for a run soon.
   * @example
   * consumers.register({
   *   name: 'rules',
   *   types: ['message.keyword', 'follow.created'],
   *   everyMs: 60_000, // also called with no events: due schedules
   *   handle: async (ctx, events) => { for (const e of events) await applyRules(ctx, e); },
   * });
   */
  register(def: ConsumerDefinition): DurableConsumer {
    const consumer = new DurableConsumer(this.db, def, (error) => this.opts.onError?.(error));
    this.add({
      name: def.name,
      nudge: (id) => consumer.nudge(id),
      tick: () => this.tickDurable(consumer),
      settle: (id) => consumer.poll(id),
      stop: () => consumer.stop(),
    });
    this.durables.push(consumer);
    return consumer;
  }

  // Every corp that existed at start, plus those heard of since: a corp with no new events still
  // gets its `everyMs` runs.
  private tickDurable(consumer: DurableConsumer): void {
    for (const id of new Set([...this.allCorps, ...consumer.knownCorps()])) consumer.nudge(id);
  }

  /** The consumer registered under `name` (for tests and diagnostics). */
  get(name: string): EventConsumer | undefined {
    return this.list.find((c) => c.name === name);
  }

  /** Starts listening and the fallback timer. */
  async start(): Promise<void> {
    if (this.durables.length > 0) this.allCorps = (await this.db.select({ corpId: corps.corpId }).from(corps)).map((r) => r.corpId);
    if (this.opts.listen) this.unlisten = await this.opts.listen('tagloom_events', (corpId) => this.nudge(corpId));
    this.timer = setInterval(() => {
      for (const c of this.list) c.tick();
    }, this.opts.pollMs ?? 1000);
    this.timer.unref();
  }

  /** Wakes every consumer for the corp. */
  nudge(corpId: string): void {
    for (const c of this.list) c.nudge(corpId);
  }

  /** Lets every consumer, in registration order, take in the corp's events committed before the call. */
  async settle(corpId: string): Promise<void> {
    for (const c of this.list) await c.settle(corpId);
  }

  /** Stops listening and polling, then each consumer (last registered first), letting runs in flight finish. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.unlisten?.();
    this.unlisten = null;
    for (const c of [...this.list].reverse()) await c.stop();
  }
}
