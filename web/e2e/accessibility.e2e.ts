import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { follows } from '../../src/db/schema/index.js';
import { demo, describeBrowser, logIn, snap, useStage } from './support.js';

// axe-core from node_modules, put into the page as a script: never fetched from the network.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Every console page, read from the registry the menu is built from, so a new page is checked as soon as it exists. */
const consolePages = [...readFileSync(new URL('../src/pages/registry.tsx', import.meta.url), 'utf8').matchAll(/\{ path: '(\/[^']*)'/g)].map((m) => m[1]!);

/**
 * Findings inside antd itself that our code cannot change, each as a rule id and the element it is
 * reported on (never a whole rule or impact level), with why.
 */
const allowed: { id: string; target: RegExp; why: string }[] = [
  // A table with `scroll.x` draws an invisible, zero-height aria-hidden row antd uses to measure
  // column widths; axe reports focusable content in it. Nobody can see or reach that row.
  { id: 'aria-hidden-focus', target: /\.ant-table-measure-row/, why: 'antd Table column-width measuring row' },
];

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[]; html: string; failureSummary?: string }[] };

/** Runs axe's WCAG 2.x A and AA rules on what the page shows now; returns the serious and critical findings. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }).then((r) => r.violations)`,
  )) as Violation[];
  return violations
    .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !allowed.some((a) => a.id === v.id && a.target.test(n.target.join(' ')))) }))
    .filter((v) => (v.impact === 'serious' || v.impact === 'critical') && v.nodes.length > 0)
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)} ${(n.failureSummary ?? '').slice(0, 200)}`)
          .join(' | ')}`,
    );
}

/** Waits until the page has drawn its content: a heading, and no spinner or skeleton left. */
async function settled(page: Page): Promise<void> {
  await page.locator('h1, h2, h3, h4, .ant-result-title').first().waitFor();
  await expect.poll(() => page.locator('.ant-spin-spinning, .ant-skeleton-active').count(), { timeout: 60_000 }).toBe(0);
}

describeBrowser('accessibility: axe finds no serious or critical WCAG A/AA problem on any page', () => {
  const stage = useStage();

  it('the login page', async () => {
    const page = await stage().newPage();
    await page.goto('/login');
    await settled(page);
    // Checked on the bundle users get: antd names its classes `css-dev-only-do-not-override-…` only
    // in a development build (vitest runs with NODE_ENV=test, which Vite would otherwise follow).
    expect(await page.locator('[class*="css-dev-only-do-not-override"]').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('every console page of the registry, as the admin', { timeout: 300_000 }, async () => {
    expect(consolePages.length).toBeGreaterThanOrEqual(8);
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    const found: Record<string, string[]> = {};
    for (const path of consolePages) {
      await page.goto(path);
      await settled(page);
      const problems = await seriousViolations(page);
      if (problems.length > 0) {
        found[path] = problems;
        await snap(page, `a11y${path.replace(/\//g, '-')}`);
      }
    }
    expect(found).toEqual({});
  });

  it('the employee sidebar on a phone', async () => {
    const [relation] = await stage()
      .database.db.select({ externalUserid: follows.externalUserid })
      .from(follows)
      .where(and(eq(follows.corpId, 'ww-demo'), eq(follows.userid, demo.staff.username)))
      .limit(1);
    const page = await stage().newPage({ mobile: true });
    await logIn(page, demo.staff, `/sidebar?externalUserid=${relation!.externalUserid}`);
    await settled(page);
    await page.locator('.ant-tag, .ant-check-tag').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
