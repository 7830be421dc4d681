import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { type AppOptions, buildApp } from '../../src/app.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { seedDemoCorp } from '../../src/demo/seed-demo.js';
import { buildConsoleBundle } from '../../src/plugins/build-console.js';
import { migratedPgliteTemplate } from '../../src/test/db.js';
import { dumpPglite } from '../../src/test/pglite-dump.js';

/** Debian's Chromium (never a downloaded browser); `.ci/run` installs it with apt. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshots = fileURLToPath(new URL('../../test-results/', import.meta.url));

/**
 * Declares the browser suite. Without Chromium on the machine it is skipped with a note (as the
 * PostgreSQL suites are without TEST_DATABASE_URL), unless TAGLOOM_REQUIRE_BROWSER is set, as
 * `.ci/run` does after installing it: there a missing browser fails the run.
 */
export function describeBrowser(name: string, fn: () => void): void {
  const present = existsSync(chromiumPath);
  if (!present && process.env.TAGLOOM_REQUIRE_BROWSER)
    throw new Error(`Chromium is not at ${chromiumPath}: apt-get install -y chromium fonts-wqy-microhei (or set CHROMIUM_PATH).`);
  if (!present) console.warn(`Chromium is not at ${chromiumPath}: the console's browser tests are skipped (apt-get install -y chromium fonts-wqy-microhei).`);
  describe.skipIf(!present)(name, fn);
}

/** The demo corp's console users, as the README lists them. */
export const demo = {
  admin: { username: 'd12u1', password: 'demo-admin-2026' },
  manager: { username: 'd2u1', password: 'demo-manager-2026' },
  staff: { username: 'd3u1', password: 'demo-staff-2026' },
  readonly: { username: 'd13u2', password: 'demo-readonly-2026' },
} as const;

/** What a browser test works with: the running server, its database and a browser. */
export type Stage = { base: string; app: FastifyInstance; database: Database; browser: Browser; newPage: (opts?: { mobile?: boolean }) => Promise<Page> };

/**
 * Something made once per test run in the run's folder (src/test/global-setup.ts), at `name`: the
 * first browser file to get here makes it, the others (in other workers, or later) wait for its
 * `done` note. Without the global setup each file makes its own in a temporary folder, which the
 * caller removes (`cleanup`).
 */
async function madeOncePerRun(name: string, make: (path: string) => Promise<void>): Promise<{ path: string; cleanup?: string }> {
  const runDir = inject('testRunDir');
  if (!runDir) {
    const folder = mkdtempSync(join(tmpdir(), 'tagloom-e2e-'));
    const path = join(folder, name);
    await make(path);
    return { path, cleanup: folder };
  }
  const path = join(runDir, name);
  const done = `${path}.done`;
  let maker = true;
  try {
    mkdirSync(`${path}.lock`);
  } catch {
    maker = false;
  }
  if (maker) {
    try {
      await make(path);
      writeFileSync(done, 'ok');
    } catch (error) {
      writeFileSync(done, `failed: ${String(error)}`);
      throw error;
    }
  }
  for (let waited = 0; !existsSync(done); waited += 200) {
    if (waited > 170_000) throw new Error(`Another worker did not finish making ${name} within 170 s.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const note = readFileSync(done, 'utf8');
  if (note !== 'ok') throw new Error(`Making ${name} failed in another worker: ${note}`);
  return { path };
}

/**
 * The demo corp seeded once per run into a PGlite dump that every browser file's server starts
 * from: seeding its 5,000 customers took each file about 2.5 s.
 */
async function seededDemo(): Promise<{ dump: Blob; cleanup?: string }> {
  const made = await madeOncePerRun('demo.tar', async (path) => {
    const database = await openDatabase({ dataDir: 'memory://', loadDataDir: migratedPgliteTemplate() });
    try {
      await seedDemoCorp(database.db, {});
      await dumpPglite(database, path);
    } finally {
      await database.close();
    }
  });
  return { dump: new Blob([readFileSync(made.path)]), cleanup: made.cleanup };
}

/**
 * Builds the console and seeds the demo corp (each once per run: see `madeOncePerRun`), starts the
 * real server on a fresh PGlite copy of that demo, and launches headless Chromium.
 * Everything is torn down after the file's tests. `opts` go to `buildApp` (e.g. a `secretBox` for the connector).
 */
export function useStage(opts: Omit<AppOptions, 'db' | 'consoleDir' | 'listen'> = {}): () => Stage {
  let stage: Stage | undefined;
  const made: string[] = [];
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    // The console is built from source (never a stale `web/dist`) once per run, as is the demo.
    const [built, seeded] = await Promise.all([madeOncePerRun('console', (outDir) => buildConsoleBundle(outDir)), seededDemo()]);
    for (const folder of [built.cleanup, seeded.cleanup]) if (folder) made.push(folder);
    const outDir = built.path;
    const database = await openDatabase({ dataDir: 'memory://', loadDataDir: seeded.dump });
    const app = await buildApp({ ...opts, db: database.db, consoleDir: outDir, listen: database.listen });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const newPage = async (opts: { mobile?: boolean } = {}) => {
      const context = await browser.newContext({
        baseURL: base,
        locale: 'zh-CN',
        viewport: opts.mobile ? { width: 390, height: 844 } : { width: 1366, height: 860 },
        isMobile: opts.mobile ?? false,
        hasTouch: opts.mobile ?? false,
        // Without motion, as a user who asked their system for less sees it: antd's animated spinner
        // could otherwise linger in a button after a fast answer, its name still "loading 保 存".
        reducedMotion: 'reduce',
      });
      // Patient on a busy CI machine, yet under the test's own 60 s, so a wait that never ends is
      // reported with the element it waited for rather than as a bare test timeout.
      context.setDefaultTimeout(30_000);
      contexts.push(context);
      return context.newPage();
    };
    stage = { base, app, database, browser, newPage };
  }, 180_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await stage?.browser.close();
    await stage?.app.close();
    await stage?.database.close();
    for (const folder of made) rmSync(folder, { recursive: true, force: true });
  });
  return () => {
    if (!stage) throw new Error('The stage is not up yet: use it inside a test.');
    return stage;
  };
}

/** Fills the login form of the page it is on (the demo corp) and submits it. */
export async function submitLogin(page: Page, user: { username: string; password: string }): Promise<void> {
  await page.getByLabel(/企业 ID|Corp ID/).fill('ww-demo');
  await page.getByLabel(/账号 \(userid\)|User \(userid\)/).fill(user.username);
  await page.getByLabel(/^密码$|^Password$/).fill(user.password);
  await page.getByRole('button', { name: /^(登\s*录|Log in)$/ }).click();
}

/**
 * Starts a demo user's session as the login page does (its POST, the cookie landing in the page's
 * context) and opens `path`. The login page itself has tests of its own (tag library, settings,
 * accessibility); the other flows skip loading it and the console twice, about a second a test.
 */
export async function logIn(page: Page, user: { username: string; password: string }, path = '/'): Promise<void> {
  const res = await page.request.post('/api/v1/auth/login', { data: { corpId: 'ww-demo', username: user.username, password: user.password } });
  if (!res.ok()) throw new Error(`Logging in as ${user.username} was refused: ${res.status()} ${await res.text()}`);
  await page.goto(path);
}

/**
 * Saves a screenshot under test-results/ (not committed) for a person to look at. It checks
 * nothing, so a capture that stalls (Chromium on a loaded machine can wait on a frame for good)
 * is tried once more at the viewport's size, then reported on stderr instead of failing the test.
 */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  const path = join(screenshots, `${name}.png`);
  const stalled = (error: unknown) => error instanceof Error && error.name === 'TimeoutError';
  try {
    await page.screenshot({ path, fullPage: true, timeout: 15_000 });
  } catch (error) {
    if (!stalled(error)) throw error;
    await page.screenshot({ path, timeout: 15_000 }).catch((again: unknown) => {
      if (!stalled(again)) throw again;
      process.stderr.write(`snap ${name}: no screenshot, the capture stalled twice\n`);
    });
  }
}
