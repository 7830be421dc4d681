import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { demo, describeBrowser, logIn, snap, useStage } from './support.js';

/** What the tag table (the chart's text alternative) says: tag name → customers. */
async function tagTable(page: Page, group: string): Promise<Record<string, number>> {
  const table = page.getByRole('table', { name: `${group}各标签的客户数` });
  await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBeGreaterThan(1);
  const rows = await table
    .locator('tbody tr.ant-table-row')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  return Object.fromEntries(rows.map(([name, customers]) => [name!, Number(customers)]));
}

/** Opens 数据统计 and picks a tag group by typing its name. */
async function openGroup(page: Page, group: string) {
  await page.goto('/stats');
  await page.getByRole('heading', { name: '数据统计' }).waitFor();
  const picker = page.getByLabel('标签组');
  await expect.poll(() => picker.isEnabled()).toBe(true);
  await picker.click();
  await picker.fill(group);
  await page.locator('.ant-select-item-option', { hasText: group }).first().click();
}

/** How many customers the audience text selects for the logged-in user, by the audiences API. */
function countOf(page: Page, text: string): Promise<number> {
  return page.evaluate(
    `fetch('/api/v1/audiences/count', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: ${JSON.stringify(text)}, sampleSize: 0 }) }).then((r) => r.json()).then((b) => b.count)`,
  ) as Promise<number>;
}

describeBrowser('数据统计 in Chromium: customers per tag and new customers per day, within the user’s scope', () => {
  const stage = useStage();

  it('charts customers per tag with the same numbers in its table as the audience counts, and a bar opens the filtered list', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    await openGroup(page, '客户等级');
    const counts = await tagTable(page, '客户等级');
    expect(Object.keys(counts)).toEqual(['A级重要客户', 'B级普通客户', 'C级潜在客户', '无本组标签']);
    for (const name of ['A级重要客户', 'B级普通客户', 'C级潜在客户']) expect(counts[name]).toBe(await countOf(page, `tag:"客户等级/${name}"`));
    expect(counts.无本组标签).toBe(await countOf(page, 'not group:"客户等级":any'));
    const chart = page.getByRole('img', { name: /客户等级各标签的客户数/ });
    expect(await chart.getAttribute('aria-label')).toContain(`A级重要客户 ${counts.A级重要客户} 人`);
    await expect.poll(() => chart.locator('canvas').count()).toBe(1);

    const growth = page.locator('.ant-statistic-content-value');
    await growth.waitFor();
    expect(Number((await growth.innerText()).replace(/,/g, ''))).toBeGreaterThan(0);
    await page.getByRole('button', { name: '查看每日数据' }).click();
    await page.getByRole('table', { name: '每日新增客户' }).waitFor();
    await snap(page, 'stats-admin');

    await page.getByRole('table', { name: '客户等级各标签的客户数' }).getByText('A级重要客户').click();
    await page.waitForURL(/\/customers\?text=/);
    const countLabel = page.getByTestId('matching-count');
    await countLabel.getByText(/当前条件/).waitFor();
    expect(Number(/共 (\d+) 位客户/.exec(await countLabel.innerText())![1])).toBe(counts.A级重要客户);
  });

  it('shows a staff member smaller counts than the admin, in English and on a phone too', async () => {
    const admin = await stage().newPage();
    await logIn(admin, demo.admin);
    await openGroup(admin, '客户等级');
    const all = await tagTable(admin, '客户等级');

    const page = await stage().newPage({ mobile: true });
    await logIn(page, demo.staff);
    await openGroup(page, '客户等级');
    const own = await tagTable(page, '客户等级');
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    expect(total(own)).toBeGreaterThan(0);
    expect(total(own)).toBeLessThan(total(all));
    for (const name of Object.keys(all)) expect(own[name]).toBeLessThanOrEqual(all[name]!);
    await snap(page, 'stats-staff-narrow');

    await page.evaluate("localStorage.setItem('tagloom.language', 'en-US')");
    await page.reload();
    await page.getByRole('heading', { name: 'Statistics' }).waitFor();
    await page.getByRole('table', { name: 'Customers per tag of 客户等级' }).waitFor();
    await snap(page, 'stats-staff-narrow-en');
  });
});
