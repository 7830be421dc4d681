import { eq, sql } from 'drizzle-orm';
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { customers } from '../../src/db/schema/index.js';
import { demo, describeBrowser, logIn, snap, useStage } from './support.js';

type Listed = { externalUserid: string; name: string };

// Vitest's expect has no locator matchers: these poll the page until it shows what is expected.
const textOf = (l: Locator) => expect.poll(() => l.innerText(), { timeout: 60_000 });
const attrOf = (l: Locator, name: string) => expect.poll(() => l.getAttribute(name), { timeout: 60_000 });
const countOf = (l: Locator) => expect.poll(() => l.count(), { timeout: 60_000 });

/** The number the live count settles on once it answers for the conditions now in the editor. */
async function settledCount(page: Page): Promise<number> {
  const count = page.getByTestId('live-count');
  // The first count of a run builds the corp's in-memory index, which takes a while on a busy machine.
  await expect
    .poll(async () => (await count.getAttribute('data-current')) === 'true' && /\d/.test(await count.innerText()), { timeout: 90_000, interval: 250 })
    .toBe(true);
  return Number((await count.innerText()).replace(/[^\d]/g, ''));
}

/** The customers of an audience text as the logged-in user may see them (the console's own call). */
async function customersOf(page: Page, text: string): Promise<Listed[]> {
  const script = `fetch('/api/v1/audiences/customers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: ${JSON.stringify(text)}, limit: 300 }) }).then((r) => r.json()).then((b) => b.customers)`;
  return page.evaluate(script) as Promise<Listed[]>;
}

/** Picks the explain panel's customer by typing their name and choosing the one option it finds. */
async function explainFor(page: Page, customer: Listed) {
  const panel = page.locator('.ant-drawer-open [data-testid="explain-panel"]');
  const box = panel.getByRole('combobox', { name: '客户' });
  await box.click();
  await box.fill(customer.name);
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: customer.name });
  await countOf(option).toBe(1);
  await option.click();
  const verdict = panel.getByTestId('explain-verdict');
  await textOf(verdict).toContain(customer.name);
  return { panel, verdict };
}

describeBrowser('人群 in Chromium: saved audiences, their size, why a customer is in or out', () => {
  const stage = useStage();

  /** A customer of the list whose name no other demo customer has, so a name search finds them alone. */
  async function uniquelyNamed(list: Listed[]): Promise<Listed> {
    const rows = await stage()
      .database.db.select({ name: customers.name })
      .from(customers)
      .where(eq(customers.corpId, 'ww-demo'))
      .groupBy(customers.name)
      .having(sql`count(*) = 1`);
    const unique = new Set(rows.map((r) => r.name));
    const found = list.find((c) => unique.has(c.name));
    if (!found) throw new Error('no uniquely named customer in the list');
    return found;
  }

  it('creates an audience with the builder, lists it with its size, renames it, explains a customer in and out, opens its customers and deletes it', {
    timeout: 300_000,
  }, async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    await page.getByRole('menuitem', { name: /人群/ }).click();
    await page.getByRole('heading', { name: '人群' }).waitFor();
    await page.getByText('还没有人群').first().waitFor();

    await page.getByRole('button', { name: /新建人群/ }).click();
    const drawer = page.locator('.ant-drawer-open');
    await drawer.getByLabel('人群名称').fill('看房客户');
    await drawer.getByLabel('说明').fill('近期看过房的客户');
    // Under load the first click can land while the drawer still animates: click again until the menu is open.
    const tagItem = page.getByRole('menuitem', { name: '标签', exact: true });
    await expect
      .poll(
        async () => {
          if (!(await tagItem.isVisible())) await page.getByRole('button', { name: /添加条件/ }).click();
          return tagItem.isVisible();
        },
        { timeout: 60_000, interval: 2_000 },
      )
      .toBe(true);
    await tagItem.click();
    await page.getByRole('combobox', { name: '标签', exact: true }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '看房' }).first().click();
    await expect.poll(() => drawer.getByTestId('audience-text').inputValue()).toBe('tag:看房');
    const matched = await settledCount(page);
    expect(matched).toBeGreaterThan(0);
    await snap(page, 'audiences-editor-zh');
    await drawer.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已保存').waitFor();
    await drawer.waitFor({ state: 'hidden' });

    const row = page.getByRole('row', { name: /看房客户/ });
    await textOf(row.getByTestId('audience-size')).toBe(matched.toLocaleString('zh-CN'));
    await row.getByText('tag:看房').waitFor();
    await row.getByText('近期看过房的客户').waitFor();

    await row.getByRole('button', { name: '编辑人群 看房客户' }).click();
    await drawer.getByLabel('人群名称').fill('看房意向客户');
    await settledCount(page);
    await drawer.getByRole('button', { name: /保\s*存/ }).click();
    await drawer.waitFor({ state: 'hidden' });
    const renamed = page.getByRole('row', { name: /看房意向客户/ });
    await textOf(renamed.getByTestId('audience-size')).toBe(matched.toLocaleString('zh-CN'));
    await snap(page, 'audiences-list-zh');

    const inside = await uniquelyNamed(await customersOf(page, 'tag:看房'));
    const outside = await uniquelyNamed(await customersOf(page, 'not tag:看房'));
    await renamed.getByRole('button', { name: '查看客户为什么在或不在人群 看房意向客户 中' }).click();
    const held = await explainFor(page, inside);
    await attrOf(held.verdict, 'data-held').toBe('true');
    await textOf(held.verdict).toContain('在这个人群中');
    const heldRow = held.panel.getByTestId('explain-row').first();
    await attrOf(heldRow, 'data-held').toBe('true');
    await textOf(heldRow).toContain('✓');
    await textOf(heldRow).toContain('tag:看房');
    await textOf(heldRow).toContain('由 ');
    // The follower who put the tag on is named as people know them, not by userid.
    expect(await heldRow.innerText()).not.toMatch(/\bd\d+u\d+\b/);
    await snap(page, 'audiences-explain-in-zh');

    const failed = await explainFor(page, outside);
    await attrOf(failed.verdict, 'data-held').toBe('false');
    await textOf(failed.verdict).toContain('不在这个人群中');
    const failedRow = failed.panel.getByTestId('explain-row').first();
    await textOf(failedRow).toContain('✗');
    await textOf(failedRow).toContain('没有任何跟进关系带有这个标签');
    await snap(page, 'audiences-explain-out-zh');
    await page.locator('.ant-drawer-open .ant-drawer-close').click();
    await page.locator('.ant-drawer-open').waitFor({ state: 'hidden' });

    await renamed.getByRole('link', { name: '在客户列表中查看人群 看房意向客户' }).click();
    await page.waitForURL((url) => url.pathname === '/customers' && url.searchParams.get('text') === 'tag:看房');
    await textOf(page.getByTestId('matching-count')).toContain(matched.toLocaleString());
    await expect.poll(() => page.locator('#customers-text').inputValue()).toBe('tag:看房');

    await page.goBack();
    await page.getByRole('button', { name: '删除人群 看房意向客户' }).click();
    await page.locator('.ant-popover:visible .ant-btn-dangerous').click();
    await page.getByText('已删除').waitFor();
    await countOf(page.getByRole('row', { name: /看房意向客户/ })).toBe(0);
  });

  it('explains an unsaved rule in the editor, clause by clause', { timeout: 240_000 }, async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin, '/audiences');
    await page.getByRole('button', { name: /新建人群/ }).click();
    const drawer = page.locator('.ant-drawer-open');
    await drawer.getByTestId('audience-text').fill('tag:看房 and not gender:female');
    await settledCount(page);
    const inside = await uniquelyNamed(await customersOf(page, 'tag:看房 and not gender:female'));
    await drawer.getByRole('button', { name: /为什么在 \/ 不在这个人群/ }).click();
    const held = await explainFor(page, inside);
    await attrOf(held.verdict, 'data-held').toBe('true');
    // The AND, its two conditions, the NOT and the condition under it, each marked.
    await countOf(held.panel.getByTestId('explain-row')).toBe(4);
    await textOf(held.panel.getByTestId('explain-row').nth(2)).toContain('以下不成立（非）');
    await attrOf(held.panel.getByTestId('explain-row').nth(3), 'data-held').toBe('false');
    await textOf(held.panel.getByTestId('explain-row').nth(3)).toContain('性别是');
    await snap(page, 'audiences-editor-explain-zh');
  });

  it('shows a read-only user the audiences and their sizes, without create, edit or delete; in English and on a phone', { timeout: 240_000 }, async () => {
    const admin = await stage().newPage();
    await logIn(admin, demo.admin);
    const created = await admin.evaluate(
      `fetch('/api/v1/audiences', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '华东客户', description: '华东大区的全部客户', text: 'region:华东' }) }).then((r) => r.status)`,
    );
    expect(created).toBe(201);

    const page = await stage().newPage();
    await logIn(page, demo.readonly, '/audiences');
    const row = page.getByRole('row', { name: /华东客户/ });
    await textOf(row.getByTestId('audience-size')).toMatch(/^\d[\d,]*$/);
    await row.getByRole('button', { name: /为什么/ }).waitFor();
    expect(await page.getByRole('button', { name: /新建人群/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /编辑人群|删除人群/ }).count()).toBe(0);
    await snap(page, 'audiences-readonly-zh');

    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'Audiences' }).waitFor();
    await snap(page, 'audiences-readonly-en');

    const phone = await stage().newPage({ mobile: true });
    await logIn(phone, demo.admin, '/audiences');
    await phone.getByRole('row', { name: /华东客户/ }).waitFor();
    await snap(phone, 'audiences-list-mobile-zh');
    await phone.getByRole('button', { name: '查看客户为什么在或不在人群 华东客户 中' }).click();
    const inside = await uniquelyNamed(await customersOf(phone, 'region:华东'));
    const held = await explainFor(phone, inside);
    await attrOf(held.verdict, 'data-held').toBe('true');
    await snap(phone, 'audiences-explain-mobile-zh');
    await phone.locator('.ant-drawer-open .ant-drawer-close').click();
    await phone.locator('.ant-drawer-open').waitFor({ state: 'hidden' });
    await phone.getByText('English', { exact: true }).click();
    await phone.getByRole('button', { name: 'See why a customer is or is not in audience 华东客户' }).click();
    const box = phone.locator('.ant-drawer-open').getByRole('combobox', { name: 'Customer' });
    await box.click();
    await box.fill(inside.name);
    await phone.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: inside.name }).click();
    await textOf(phone.locator('.ant-drawer-open').getByTestId('explain-verdict')).toContain(`${inside.name} is in this audience`);
    await textOf(phone.locator('.ant-drawer-open').getByTestId('explain-row').first()).toContain('Region is');
    await snap(phone, 'audiences-explain-mobile-en');

    // From the customer's side: 客户列表's drawer asks why they are in a saved audience.
    const [someone] = await customersOf(admin, 'region:华东');
    await admin.goto(`/customers?customer=${encodeURIComponent(someone!.externalUserid)}`);
    const why = admin.getByTestId('customer-audience-why');
    await why.scrollIntoViewIfNeeded();
    await why.getByRole('combobox', { name: '人群' }).click();
    await admin.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '华东客户' }).click();
    await attrOf(why.getByTestId('explain-verdict'), 'data-held').toBe('true');
    await textOf(why.getByTestId('explain-row').first()).toContain('✓');
    await snap(admin, 'audiences-customer-drawer-why-zh');
  });
});
