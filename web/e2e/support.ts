import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { type AppOptions, buildApp } from '../../src/app.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { seedDemoCorp } from '../../src/demo/seed-demo.js';

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
 * Builds the console into a folder of its own (so a stale `web/dist` is never what is tested),
 * starts the real server on a fresh PGlite with the demo corp, and launches headless Chromium.
 * Everything is torn down after the file's tests. `opts` go to `buildApp` (e.g. a `secretBox` for the connector).
 */
export function useStage(opts: Omit<AppOptions, 'db' | 'consoleDir' | 'listen'> = {}): () => Stage {
  let stage: Stage | undefined;
  let outDir = '';
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'tagloom-console-'));
    const vite = await import('vite');
    await vite.build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    const database = await openDatabase({ dataDir: 'memory://' });
    await seedDemoCorp(database.db, {});
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
      });
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
    if (outDir) rmSync(outDir, { recursive: true, force: true });
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

/** Logs in through the login page as one of the demo users and waits for the console. */
export async function logIn(page: Page, user: { username: string; password: string }): Promise<void> {
  await page.goto('/login');
  await submitLogin(page, user);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Saves a screenshot under test-results/ (not committed) for a person to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}
