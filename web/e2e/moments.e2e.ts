import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { demo, describeBrowser, logIn, snap, useStage } from './support.js';

/** A full-page screenshot for a person to look at (not committed). */
const shot = (page: Page, name: string) => snap(page, `moments-${name}`);

type Counts = { matched: number; excluded: number; suppressed: number; overCap: number; noSender: number; remaining: number };

/** A call to the native API with the page's session. */
async function call<T>(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const res = await fetch(`/api/v1${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: res.status === 204 ? null : await res.json() };
    },
    { method, path, body },
  ) as Promise<{ status: number; body: T }>;
}

/** The number a reduction row of the preview shows (−312 → 312). */
async function stepValue(scope: Locator, step: string): Promise<number> {
  const text = await scope.locator(`[data-step="${step}"]`).last().innerText();
  return Number(
    text
      .split('\n')
      .at(-1)!
      .replace(/[−,\s]/g, ''),
  );
}

/** Types an audience into the text form of the n-th audience editor of the composer (0 include, 1 exclude). */
async function typeAudience(drawer: Locator, n: number, text: string) {
  const box = drawer.getByTestId('audience-text').nth(n);
  await box.fill(text);
  await expect.poll(() => box.inputValue()).toBe(text);
}

const include = 'tag:B级普通客户 or tag:C级潜在客户';
const exclude = 'tag:高意向';

describeBrowser('客户朋友圈 in Chromium: compose with include and exclude, preview every reduction, publish, detail, analytics, lift a suppression', () => {
  const stage = useStage();

  it('an operator targets a post, sees each reduction, publishes it, reads its deliveries and analytics, and lifts a suppression', {
    timeout: 300_000,
  }, async () => {
    const page = await stage().newPage();
    page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
    await logIn(page, demo.admin);
    await page.getByRole('menuitem', { name: /客户朋友圈/ }).click();
    await page.getByRole('heading', { name: '客户朋友圈' }).waitFor();
    await page.getByText('还没有朋友圈，发第一条吧').waitFor();
    await shot(page, 'empty-zh');

    // Compose: text, include and exclude; the preview follows with every reduction.
    await page
      .getByRole('button', { name: /发朋友圈/ })
      .first()
      .click();
    const drawer = page.locator('.ant-drawer-open');
    await drawer.getByLabel('文字', { exact: true }).fill('年末回馈：老客户专享礼盒，本周下单享八折。');
    await typeAudience(drawer, 0, include);
    await typeAudience(drawer, 1, exclude);
    const reductions = drawer.getByTestId('moment-reductions');
    // The preview settles on the server's own answer for these fields.
    const expected = (
      await call<{ counts: Counts }>(page, 'POST', '/moments/preview', {
        text: 'x',
        audience: { include: { text: include }, exclude: { text: exclude } },
      })
    ).body.counts;
    expect(expected.matched).toBeGreaterThan(0);
    expect(expected.excluded).toBeGreaterThan(0);
    await expect.poll(() => stepValue(reductions, 'excluded'), { timeout: 60_000 }).toBe(expected.excluded);
    for (const step of ['matched', 'suppressed', 'overCap', 'noSender', 'remaining'] as const) expect(await stepValue(reductions, step)).toBe(expected[step]);
    expect(expected.matched - expected.excluded - expected.suppressed - expected.overCap - expected.noSender).toBe(expected.remaining);
    await shot(page, 'composer-zh');

    // Publish: the confirmation names how many customers it goes to.
    await drawer.getByRole('button', { name: /^发\s*布$/ }).click();
    await page.getByText(`发布后将按计划发给 ${expected.remaining} 位客户，确定发布吗？`).waitFor();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /^发\s*布$/ })
      .click();
    await page.getByText('已发布，送达计划已生成').waitFor();
    await drawer.waitFor({ state: 'hidden' });

    const row = page.locator('.ant-table-row', { hasText: '年末回馈' });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/待发送|发送中|已发送/);
    expect(await row.innerText()).toContain(expected.remaining.toLocaleString('zh-CN'));
    await shot(page, 'list-zh');

    // Detail: status, the reductions it was scheduled with, deliveries per sender, analytics.
    await row.getByRole('button', { name: /查看朋友圈/ }).click();
    const detail = page.locator('.ant-drawer-open');
    await detail.getByText('发布时的触达计算').waitFor();
    expect(await stepValue(detail, 'remaining')).toBe(expected.remaining);
    await detail.getByRole('tab', { name: '送达明细' }).click();
    await detail.locator('.ant-table-row').first().waitFor();
    expect(await detail.locator('.ant-table-row').first().innerText()).toMatch(/主内容/);
    await shot(page, 'deliveries-zh');
    await detail.getByRole('tab', { name: '效果' }).click();
    await detail.getByTestId('moment-analytics').waitFor();
    await detail.getByText('转化漏斗').waitFor();
    await detail.locator('[role="img"] canvas').first().waitFor();
    await shot(page, 'analytics-zh');
    await detail.getByRole('button', { name: 'Close' }).or(detail.locator('.ant-drawer-close')).first().click();
    await detail.waitFor({ state: 'hidden' });

    // Three “not interested” in a row on this group's posts put a customer on the suppression list.
    const posts = [(await call<{ moments: { momentId: string }[] }>(page, 'GET', '/moments')).body.moments[0]!.momentId];
    for (const text of ['第二条', '第三条']) {
      const made = await call<{ momentId: string }>(page, 'POST', '/moments', { text, audience: { include: { text: include } } });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      posts.push(made.body.momentId);
    }
    const customer = (await call<{ customers: { externalUserid: string }[] }>(page, 'GET', '/customers?limit=1')).body.customers[0]!.externalUserid;
    for (const [i, momentId] of posts.entries()) {
      const res = await call(page, 'POST', `/moments/${momentId}/interactions`, {
        interactions: [{ externalUserid: customer, kind: 'not_interested', occurredAt: new Date(Date.now() - (3 - i) * 60_000).toISOString() }],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    // The suppression consumer takes the third click in within a moment; the list then shows it.
    await expect
      .poll(async () => (await call<{ suppressions: unknown[] }>(page, 'GET', '/moments/suppressions')).body.suppressions.length, { timeout: 60_000 })
      .toBeGreaterThan(0);
    // The lift button names the customer and the group; by role only what is on screen matches
    // (a hidden copy of the list stays mounted beside the visible one).
    const lift = page.getByRole('button', { name: /^解除 .+ 在 客户等级 的屏蔽$/ });
    await expect
      .poll(
        async () => {
          // A fresh load: clicks in the posts table before may have scrolled the tab panes sideways.
          await page.reload();
          await page.getByRole('tab', { name: '屏蔽名单' }).click();
          await page.getByText('管理员可以解除', { exact: false }).waitFor();
          return lift.count();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBeGreaterThan(0);
    expect(await page.getByRole('row').filter({ has: lift.first() }).innerText()).toContain('连续 3 次不感兴趣');
    // Dispatched rather than clicked: Playwright's scroll-into-view scrolls the tabs' content holder
    // sideways (the button sits in the last column of a horizontally scrollable table), which moves
    // the visible pane away. A person's click does not scroll; noted for the console.
    await lift.first().dispatchEvent('click');
    await page.locator('.ant-popconfirm').waitFor();
    await shot(page, 'suppressions-zh');
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /解\s*除/ })
      .click();
    await page.getByText('已解除屏蔽').waitFor();
    await expect.poll(async () => (await call<{ suppressions: unknown[] }>(page, 'GET', '/moments/suppressions')).body.suppressions.length).toBe(0);

    // The corp's 数据 tab renders its numbers.
    await page.getByRole('tab', { name: '数据' }).click();
    await page.getByTestId('moments-summary').waitFor();
    await shot(page, 'data-zh');

    // English: the same page speaks English throughout.
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'Moments' }).waitFor();
    await page.getByRole('tab', { name: 'Posts' }).click();
    await page.locator('.ant-table-row', { hasText: '年末回馈' }).waitFor();
    await shot(page, 'list-en');
    await page
      .getByRole('button', { name: /New post/ })
      .first()
      .click();
    // The reach shows before a word is written: the audience is sized first.
    await page.locator('.ant-drawer-open').getByTestId('moment-reductions').waitFor({ timeout: 60_000 });
    await page.locator('.ant-drawer-open').getByLabel('Text', { exact: true }).fill('Year-end gift box for returning customers');
    await page.locator('.ant-drawer-open').getByTestId('moment-reductions').waitFor({ timeout: 60_000 });
    await shot(page, 'composer-en');
  });

  it('fits a phone: the list and the composer with its reductions in the footer', { timeout: 180_000 }, async () => {
    const page = await stage().newPage({ mobile: true });
    await logIn(page, demo.admin, '/moments');
    await page.getByRole('heading', { name: '客户朋友圈' }).waitFor();
    await shot(page, 'mobile-list-zh');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page
      .getByRole('button', { name: /发朋友圈/ })
      .first()
      .click();
    await page.locator('.ant-drawer-open').getByLabel('文字', { exact: true }).fill('年末回馈');
    await page.getByTestId('moment-reductions-compact').waitFor({ timeout: 60_000 });
    await shot(page, 'mobile-composer-zh');
  });

  it('is hidden from those who may not publish Moments', { timeout: 120_000 }, async () => {
    const page = await stage().newPage();
    await logIn(page, demo.staff);
    await page.getByRole('menuitem', { name: /客户标签/ }).waitFor();
    expect(await page.getByRole('menuitem', { name: /客户朋友圈/ }).count()).toBe(0);
  });
});
