import { and, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { employees, follows } from '../../src/db/schema/index.js';
import { demo, describeBrowser, logIn, snap, useStage } from './support.js';

describeBrowser('客户列表 in Chromium: hand-over (转接), follow notes, keyboard selection', () => {
  const stage = useStage();
  const rows = (page: Page) => page.locator('.ant-table-tbody .ant-table-row');
  const countLabel = (page: Page) => page.getByTestId('matching-count');
  const selected = (page: Page) => page.getByTestId('selected-count');
  /** Waits until the toolbar says exactly `text` (it follows the selection as soon as React renders). */
  const selectedIs = (page: Page, text: string) =>
    selected(page)
      .filter({ hasText: new RegExp(`^${text}$`) })
      .waitFor();

  async function openList(page: Page) {
    await logIn(page, demo.admin, '/customers');
    await page.getByRole('heading', { name: '客户列表' }).waitFor();
    await countLabel(page).waitFor();
    await rows(page).first().waitFor();
  }

  async function filterBy(page: Page, text: string) {
    const box = page.getByLabel('人群条件');
    await box.fill(text);
    await box.press('Enter');
    await countLabel(page).getByText(`当前条件：${text}`).waitFor();
  }

  /** The followers of a customer as the API answers (the server's state, not the page's). */
  async function followersOf(page: Page, externalUserid: string): Promise<string[]> {
    const script = `fetch('/api/v1/customers/${encodeURIComponent(externalUserid)}').then((r) => r.json()).then((c) => c.follows.map((f) => f.userid))`;
    return page.evaluate<string[]>(script);
  }

  /**
   * Picks an option of an antd Select by typing into it and clicking the option holding `text`,
   * until the select shows it: under load a click can land while the list re-renders and miss.
   */
  async function choose(page: Page, label: string, typed: string, text: string, dialog = page.getByRole('dialog')) {
    const chosen = dialog.locator('.ant-select', { has: page.getByLabel(label, { exact: true }) }).locator('.ant-select-content-has-value', { hasText: text });
    for (let attempt = 0; attempt < 3 && (await chosen.count()) === 0; attempt += 1) {
      await dialog.getByLabel(label, { exact: true }).fill(typed);
      const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text }).first();
      await option.waitFor();
      await option.click();
      await chosen.waitFor({ timeout: 5_000 }).catch(() => {});
    }
    await chosen.waitFor();
  }

  it('hands two selected customers from one employee to another; the server and the drawer show the new follower', { timeout: 180_000 }, async () => {
    const page = await stage().newPage();
    const db = stage().database.db;
    // The employee following the most customers hands two of them over.
    const [busiest] = await db
      .select({ userid: follows.userid, n: sql<number>`count(*)` })
      .from(follows)
      .where(eq(follows.corpId, 'ww-demo'))
      .groupBy(follows.userid)
      .orderBy(desc(sql`count(*)`))
      .limit(1);
    const from = busiest!.userid;
    await openList(page);
    await filterBy(page, `follower:${from}`);
    const before = Number(/共 (\d+) 位客户/.exec(await countLabel(page).innerText())![1]);
    const picked = await rows(page).evaluateAll((els) => els.slice(0, 2).map((r) => r.getAttribute('data-row-key')!));
    // The takeover: an active employee following neither of them, so both simply move.
    const followingThem = (
      await db
        .select({ userid: follows.userid })
        .from(follows)
        .where(and(eq(follows.corpId, 'ww-demo'), inArray(follows.externalUserid, picked)))
    ).map((f) => f.userid);
    const [to] = await db
      .select({ userid: employees.userid, name: employees.name })
      .from(employees)
      .where(and(eq(employees.corpId, 'ww-demo'), eq(employees.status, 'active'), notInArray(employees.userid, followingThem)))
      .limit(1);
    const [fromName] = await db
      .select({ name: employees.name })
      .from(employees)
      .where(and(eq(employees.corpId, 'ww-demo'), eq(employees.userid, from)));

    const boxes = page.locator('.ant-table-tbody .ant-table-row .ant-checkbox-input');
    await boxes.nth(0).click();
    await boxes.nth(1).click();
    await selectedIs(page, '已选 2 位客户');
    await page.getByRole('button', { name: '转接客户' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('已选 2 位客户。').waitFor();
    await choose(page, '原跟进员工', fromName!.name, '跟进其中 2 位');
    await choose(page, '接替员工', to!.name, `(${to!.userid})`);
    await dialog.getByLabel('转接原因（选填）').fill('E2E 岗位调整');
    await dialog.getByText(`将把 ${fromName!.name} 跟进的 2 位客户转接给 ${to!.name}`).waitFor();
    await snap(page, 'customers-transfer-form');
    await dialog.getByRole('button', { name: '转接 2 位客户' }).click();
    const report = page.getByTestId('transfer-report');
    await report.getByText(`已将 2 位客户转接给 ${to!.name}`).waitFor();
    expect(await report.getByText('已转接', { exact: true }).count()).toBe(2);
    await snap(page, 'customers-transfer-report');

    // The server moved both relations: the takeover follows them, the handover no longer does.
    for (const id of picked) {
      const now = await followersOf(page, id);
      expect(now).toContain(to!.userid);
      expect(now).not.toContain(from);
    }
    await dialog.getByRole('button', { name: /完\s*成/ }).click();
    await countLabel(page)
      .getByText(`共 ${before - 2} 位客户`)
      .waitFor();
    await page.goto(`/customers?customer=${encodeURIComponent(picked[0]!)}`);
    const drawer = page.locator('.ant-drawer');
    await drawer.locator('.ant-list-item strong', { hasText: to!.name }).first().waitFor();
    expect(await drawer.locator('.ant-list-item strong', { hasText: fromName!.name }).count()).toBe(0);
  });

  it('hands one customer over from the drawer, from the follower the user picked', { timeout: 180_000 }, async () => {
    const page = await stage().newPage();
    const db = stage().database.db;
    const [relation] = await db
      .select()
      .from(follows)
      .where(and(eq(follows.corpId, 'ww-demo'), eq(follows.userid, demo.staff.username)))
      .limit(1);
    const id = relation!.externalUserid;
    const followingIt = (
      await db
        .select({ userid: follows.userid })
        .from(follows)
        .where(and(eq(follows.corpId, 'ww-demo'), eq(follows.externalUserid, id)))
    ).map((f) => f.userid);
    const [to] = await db
      .select({ userid: employees.userid, name: employees.name })
      .from(employees)
      .where(and(eq(employees.corpId, 'ww-demo'), eq(employees.status, 'active'), notInArray(employees.userid, followingIt)))
      .limit(1);
    const [staff] = await db
      .select({ name: employees.name })
      .from(employees)
      .where(and(eq(employees.corpId, 'ww-demo'), eq(employees.userid, demo.staff.username)));
    await logIn(page, demo.admin, `/customers?customer=${encodeURIComponent(id)}`);
    const drawer = page.locator('.ant-drawer');
    const handOver = drawer.getByRole('button', { name: `将 ${staff!.name} 跟进的该客户转接给其他员工` });
    await handOver.waitFor();
    await handOver.click();
    // The drawer is a dialog too: the hand-over is the modal above it.
    const dialog = page.locator('.ant-modal');
    await dialog.getByLabel('原跟进员工').waitFor();
    expect(await dialog.getByLabel('原跟进员工').inputValue()).toContain(staff!.name);
    await choose(page, '接替员工', to!.name, `(${to!.userid})`, dialog);
    await snap(page, 'customers-transfer-drawer');
    await dialog.getByRole('button', { name: '转接 1 位客户' }).click();
    await dialog.getByText(`已将 1 位客户转接给 ${to!.name}`).waitFor();
    await dialog.getByRole('button', { name: /完\s*成/ }).click();
    await drawer.locator('.ant-list-item strong', { hasText: to!.name }).first().waitFor();
    expect(await followersOf(page, id)).not.toContain(demo.staff.username);
  });

  it('edits a follower’s remark and description in the drawer; they are kept after a reload', { timeout: 180_000 }, async () => {
    const page = await stage().newPage();
    const db = stage().database.db;
    const [relation] = await db
      .select()
      .from(follows)
      .where(and(eq(follows.corpId, 'ww-demo'), eq(follows.userid, demo.manager.username)))
      .limit(1);
    const [manager] = await db
      .select({ name: employees.name })
      .from(employees)
      .where(and(eq(employees.corpId, 'ww-demo'), eq(employees.userid, demo.manager.username)));
    await logIn(page, demo.admin, `/customers?customer=${encodeURIComponent(relation!.externalUserid)}`);
    const drawer = page.locator('.ant-drawer');
    const edit = drawer.getByRole('button', { name: `编辑 ${manager!.name} 对该客户的备注` });
    await edit.waitFor();
    await edit.click();
    const form = drawer.getByRole('form', { name: `编辑 ${manager!.name} 对该客户的备注` });
    await form.getByLabel('备注', { exact: true }).fill('E2E老客户');
    await form.getByLabel('描述', { exact: true }).fill('周末看房\n预算 300 万');
    await form.getByLabel('备注手机号').fill('13800000000');
    await form.getByLabel('备注手机号').press('Enter');
    await snap(page, 'customers-notes-editing');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('备注已保存').waitFor();

    await page.reload();
    const notes = drawer.getByTestId(`notes-${demo.manager.username}`);
    await notes.getByText('E2E老客户').waitFor();
    expect(await notes.innerText()).toContain('预算 300 万');
    expect(await notes.innerText()).toContain('13800000000');
    const [saved] = await db
      .select()
      .from(follows)
      .where(and(eq(follows.corpId, 'ww-demo'), eq(follows.userid, demo.manager.username), eq(follows.externalUserid, relation!.externalUserid)));
    expect({ remark: saved!.remark, description: saved!.description, mobiles: saved!.remarkMobiles }).toEqual({
      remark: 'E2E老客户',
      description: '周末看房\n预算 300 万',
      mobiles: ['13800000000'],
    });
    await snap(page, 'customers-notes-saved');
  });

  it('selects with the keyboard: Shift+↓ twice picks three rows, Space toggles the focused one, Ctrl+A picks all matching', async () => {
    const page = await stage().newPage();
    await openList(page);
    const list = page.getByTestId('customer-list');
    await list.focus();
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await selectedIs(page, '已选 3 位客户');
    const keys = await rows(page).evaluateAll((els) => els.slice(0, 3).map((r) => r.getAttribute('data-row-key')));
    const picked = await page
      .locator('.ant-table-tbody .ant-table-row.ant-table-row-selected')
      .evaluateAll((els) => els.map((r) => r.getAttribute('data-row-key')));
    expect(picked).toEqual(keys);
    // The focus ring is on the third row, where the range ends.
    expect(await page.locator('.ant-table-tbody .ant-table-row[data-focused="true"]').getAttribute('data-row-key')).toBe(keys[2]);
    await snap(page, 'customers-keyboard-range');
    await page.keyboard.press('Space');
    await selectedIs(page, '已选 2 位客户');
    await page.keyboard.press('Control+a');
    await selectedIs(page, '已选择全部 5000 位符合条件的客户');
    // Ctrl+A inside the name search selects its text, not the customers.
    await page.getByRole('button', { name: '取消选择' }).click();
    await page.getByLabel('搜索客户名称').focus();
    await page.keyboard.press('Control+a');
    expect(await selected(page).innerText()).toBe('已选 0 位客户');
    // Enter opens the focused customer.
    await list.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/customer=/);
  });

  it('reads well in English on a phone: the drawer’s notes and hand-over', async () => {
    const page = await stage().newPage({ mobile: true });
    await page.addInitScript("localStorage.setItem('tagloom.language', 'en-US')");
    const db = stage().database.db;
    const [relation] = await db
      .select()
      .from(follows)
      .where(and(eq(follows.corpId, 'ww-demo'), eq(follows.userid, demo.staff.username)))
      .limit(1);
    await logIn(page, demo.admin, '/customers');
    await page.getByRole('heading', { name: 'Customers' }).waitFor();
    await rows(page).first().waitFor();
    await snap(page, 'customers-en-mobile-list');
    await page.goto(`/customers?customer=${encodeURIComponent(relation!.externalUserid)}`);
    const drawer = page.locator('.ant-drawer');
    const handOver = drawer.getByRole('button', { name: /^Hand this customer over from / }).first();
    await handOver.waitFor();
    await drawer
      .getByRole('button', { name: /Edit .*'s notes on this customer/ })
      .first()
      .click();
    await drawer.getByLabel('Remark', { exact: true }).first().waitFor();
    await snap(page, 'customers-en-mobile-notes');
    await handOver.click();
    const dialog = page.locator('.ant-modal');
    await dialog.getByText('Taking over', { exact: true }).waitFor();
    await snap(page, 'customers-en-mobile-transfer');
  });
});
