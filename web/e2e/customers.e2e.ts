import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { withTx } from '../../src/context.js';
import { customers, employees, follows, marks } from '../../src/db/schema/index.js';
import { recordEvent } from '../../src/events/record.js';
import { applyMarkChanges } from '../../src/modules/marks/write-marks.js';
import { demo, describeBrowser, logIn, snap, useStage } from './support.js';

describeBrowser('客户列表 in Chromium: filter, select, batch with progress and undo, detail with origins', () => {
  const stage = useStage();
  const rowBoxes = (page: Page) => page.locator('.ant-table-tbody .ant-table-row .ant-checkbox-input');
  const countLabel = (page: Page) => page.getByTestId('matching-count');

  async function openList(page: Page, user: { username: string; password: string } = demo.admin) {
    await logIn(page, user, '/customers');
    await page.getByRole('heading', { name: '客户列表' }).waitFor();
    await countLabel(page).waitFor();
  }

  /** Picks a tag in the batch dialog by typing its name, then closes the dropdown so it covers nothing. */
  async function pickTag(page: Page, name: string) {
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('选择标签').fill(name);
    await page.locator('.ant-select-item-option', { hasText: name }).click();
    await dialog.locator('.ant-modal-title').click();
    await page.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
  }

  /** A fresh enterprise tag made through the API in the page's session, so no customer has it yet. */
  async function freshTag(page: Page, name: string): Promise<string> {
    return page.evaluate(async (tagName) => {
      const res = await fetch('/api/v1/tag-groups', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `组${tagName}`, tags: [{ name: tagName }] }),
      });
      return ((await res.json()) as { tags: { tagId: string }[] }).tags[0]!.tagId;
    }, name);
  }

  it('selects with click and shift-click, batch-tags them with a live progress bar to 100 %, then undoes it', async () => {
    const page = await stage().newPage();
    await openList(page);
    const db = stage().database.db;
    const tagId = await freshTag(page, 'E2E批量');
    await page.reload();
    await page.locator('.ant-table-tbody .ant-table-row').first().waitFor();
    await rowBoxes(page).nth(1).click();
    await rowBoxes(page)
      .nth(5)
      .click({ modifiers: ['Shift'] });
    expect(await page.getByTestId('selected-count').innerText()).toBe('已选 5 位客户');
    const picked = await page.locator('.ant-table-tbody .ant-table-row').evaluateAll((rows) => rows.slice(1, 6).map((r) => r.getAttribute('data-row-key')!));
    await page.getByRole('button', { name: '批量打标签' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('为 5 位客户打上所选标签？').waitFor();
    await pickTag(page, 'E2E批量');
    await snap(page, 'customers-batch-confirm');
    await dialog.getByRole('button', { name: /^确\s*定$/ }).click();
    await page.locator('[role="progressbar"][aria-valuenow="100"]').waitFor();
    await page.getByText(/已完成：打上 \d+ 个、移除 0 个标签/).waitFor();
    await snap(page, 'customers-batch-done');
    const tagged = await db
      .select()
      .from(marks)
      .where(and(eq(marks.corpId, 'ww-demo'), eq(marks.tagId, tagId)));
    expect(new Set(tagged.map((m) => m.externalUserid))).toEqual(new Set(picked));
    expect(tagged.every((m) => m.source === 'batch' && m.operationId !== null)).toBe(true);

    await page.getByRole('button', { name: /^撤\s*销$/ }).click();
    await page.getByText(/已撤销：打上 0 个、移除 \d+ 个标签/).waitFor();
    expect(
      await db
        .select()
        .from(marks)
        .where(and(eq(marks.corpId, 'ww-demo'), eq(marks.tagId, tagId))),
    ).toHaveLength(0);
    await snap(page, 'customers-undone');
  });

  it('"select all N matching" batch-tags the audience by its text, not by ids', async () => {
    const page = await stage().newPage();
    await openList(page);
    const db = stage().database.db;
    const tagId = await freshTag(page, 'E2E全选');
    await page.reload();
    await countLabel(page).waitFor();
    await page.getByLabel('人群条件').fill('tag:已投诉');
    await page.getByLabel('人群条件').press('Enter');
    await countLabel(page)
      .getByText(/当前条件：tag:已投诉/)
      .waitFor();
    const matching = Number(/共 (\d+) 位客户/.exec(await countLabel(page).innerText())![1]);
    await rowBoxes(page).first().click();
    await page.getByRole('button', { name: `选择全部 ${matching} 位符合条件的客户` }).click();
    expect(await page.getByTestId('selected-count').innerText()).toBe(`已选择全部 ${matching} 位符合条件的客户`);
    const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/operations/batch'));
    await page.getByRole('button', { name: '批量打标签' }).click();
    await pickTag(page, 'E2E全选');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^确\s*定$/ })
      .click();
    expect((await sent).postDataJSON().selection).toEqual({ text: 'tag:已投诉' });
    await page.locator('[role="progressbar"][aria-valuenow="100"]').waitFor();
    const tagged = await db
      .selectDistinct({ id: marks.externalUserid })
      .from(marks)
      .where(and(eq(marks.corpId, 'ww-demo'), eq(marks.tagId, tagId)));
    expect(tagged).toHaveLength(matching);
  });

  it('moves the selected customers to another tag of a group: the group’s other tags come off', async () => {
    const page = await stage().newPage();
    await openList(page);
    const db = stage().database.db;
    await rowBoxes(page).nth(8).click();
    await rowBoxes(page).nth(9).click();
    const picked = await page.locator('.ant-table-tbody .ant-table-row').evaluateAll((rows) => rows.slice(8, 10).map((r) => r.getAttribute('data-row-key')!));
    await page.getByRole('button', { name: '批量移动标签' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('将 2 位客户在该组的标签改为所选标签？').waitFor();
    const option = (name: string) => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: name });
    await dialog.getByLabel('标签组').click();
    await option('客户等级').click();
    await dialog.getByLabel('移动到标签').click();
    await option('A级重要客户').click();
    await snap(page, 'customers-move');
    await dialog.getByRole('button', { name: /^确\s*定$/ }).click();
    await page.locator('[role="progressbar"][aria-valuenow="100"]').waitFor();
    const grades = await page.evaluate(
      async () =>
        ((await (await fetch('/api/v1/tag-groups')).json()) as { groups: { name: string; tags: { tagId: string; name: string }[] }[] }).groups.find(
          (g) => g.name === '客户等级',
        )!.tags,
    );
    const gradeA = grades.find((g) => g.name === 'A级重要客户')!.tagId;
    const rows = await db
      .select()
      .from(marks)
      .where(
        and(
          eq(marks.corpId, 'ww-demo'),
          inArray(marks.externalUserid, picked),
          inArray(
            marks.tagId,
            grades.map((g) => g.tagId),
          ),
        ),
      );
    expect(new Set(rows.map((m) => m.externalUserid))).toEqual(new Set(picked));
    expect(rows.every((m) => m.tagId === gradeA)).toBe(true);
  });

  it('filters by audience text and the count changes; a bad text shows the server’s message under the box', async () => {
    const page = await stage().newPage();
    await openList(page);
    const all = await countLabel(page).innerText();
    expect(all).toMatch(/^共 5000 位客户/);
    const box = page.getByLabel('人群条件');
    await box.fill('tag:A级重要客户 and region:华东');
    await box.press('Enter');
    await countLabel(page)
      .getByText(/当前条件/)
      .waitFor();
    const narrowed = Number(/共 (\d+) 位客户/.exec(await countLabel(page).innerText())![1]);
    expect(narrowed).toBeGreaterThan(0);
    expect(narrowed).toBeLessThan(5000);
    await snap(page, 'customers-filtered');
    const expected = await page.evaluate(
      async () =>
        (
          await (
            await fetch('/api/v1/audiences/customers', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ text: 'tag:A级重要客户 and (' }),
            })
          ).json()
        ).error.message as string,
    );
    await box.fill('tag:A级重要客户 and (');
    await box.press('Enter');
    const help = page.locator('.ant-form-item-explain-error');
    await help.waitFor();
    expect(await help.innerText()).toContain(expected);
    await snap(page, 'customers-bad-text');
  });

  it('opens a customer and shows who put each tag there, how and when', async () => {
    const page = await stage().newPage();
    await openList(page);
    const db = stage().database.db;
    const [mark] = await db
      .select()
      .from(marks)
      .where(and(eq(marks.corpId, 'ww-demo'), eq(marks.personal, 0)))
      .limit(1);
    const [customer] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.corpId, 'ww-demo'), inArray(customers.externalUserid, [mark!.externalUserid])));
    await page.goto(`/customers?customer=${encodeURIComponent(customer!.externalUserid)}`);
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText('跟进员工与标签').waitFor();
    await drawer.getByText(customer!.externalUserid).waitFor();
    const origin = drawer
      .getByText(/ · (手动打标签|批量操作|规则自动打标签|API|企业微信接口|导入|恢复|批量任务 \S+|导入任务 \S+|规则运行 \S+) · \d{4}/)
      .first();
    await origin.waitFor();
    await snap(page, 'customers-detail');
  });

  it('names a rule-made tag’s rule and tells its evidence in the reader’s language', async () => {
    const page = await stage().newPage();
    await openList(page);
    const db = stage().database.db;
    const tagId = await freshTag(page, 'E2E看房');
    const ruleId = await page.evaluate(async (tag) => {
      const res = await fetch('/api/v1/rules', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'E2E看房意向',
          definition: { trigger: { kind: 'message.keyword', keywords: ['预约', '看房'] }, actions: [{ kind: 'add', tagIds: [tag] }] },
        }),
      });
      return ((await res.json()) as { ruleId: string }).ruleId;
    }, tagId);
    const [follow] = await db.select().from(follows).where(eq(follows.corpId, 'ww-demo')).limit(1);
    const rel = { userid: follow!.userid, externalUserid: follow!.externalUserid };
    const ctx = { corpId: 'ww-demo', actor: { kind: 'system', name: 'rules' } as const, source: 'rule' as const, db };
    await withTx(ctx, async (tx) => {
      const seq = await recordEvent(tx, {
        type: 'message.matched',
        subjectType: 'customer',
        subjectId: rel.externalUserid,
        payload: { userid: rel.userid, direction: 'in', sentAt: '2026-01-05T02:02:00Z', idempotencyKey: 'e2e-1', keywords: ['预约', '看房'], rules: [] },
      });
      await applyMarkChanges(tx, 'opE2ERULE', [{ ...rel, tagId, change: 'add' }], { source: 'rule', ruleId, ruleVersion: 1, evidenceSeq: seq });
    });
    await page.goto(`/customers?customer=${encodeURIComponent(rel.externalUserid)}`);
    const evidence = page.locator('.ant-drawer').getByTestId('tag-evidence');
    await evidence.first().waitFor();
    expect(await evidence.allInnerTexts()).toContain('规则「E2E看房意向」第 1 版：2026-01-05 10:02 的消息包含 预约、看房');
    await snap(page, 'customers-detail-evidence');
  });

  it('keeps 5,000 rows virtualized: only the visible rows are in the page while pages load on scroll', async () => {
    const page = await stage().newPage();
    await openList(page);
    expect(await countLabel(page).innerText()).toBe('共 5000 位客户 · 已加载 1000 位');
    const body = page.locator('.ant-table-tbody-virtual-holder');
    for (let i = 0; i < 60 && /已加载/.test(await countLabel(page).innerText()); i += 1) {
      await body.evaluate((el) => el.scrollBy(0, 40_000));
      await page.waitForTimeout(150);
    }
    // Every page arrived as the user scrolled down, yet the page holds only the rows on screen.
    expect(await countLabel(page).innerText()).toBe('共 5000 位客户');
    expect(await page.locator('.ant-table-tbody .ant-table-row').count()).toBeLessThan(80);
  });

  it('shows a read-only user the list without batch controls', async () => {
    const page = await stage().newPage();
    await openList(page, demo.readonly);
    const visible = Number(/共 (\d+) 位客户/.exec(await countLabel(page).innerText())![1]);
    // What they see is their data scope; with none, the list says so instead of showing a blank table.
    if (visible === 0) await page.getByText('你的数据范围内还没有客户').waitFor();
    else await page.locator('.ant-table-tbody .ant-table-row').first().waitFor();
    expect(await page.getByRole('button', { name: '批量打标签' }).count()).toBe(0);
    expect(await rowBoxes(page).count()).toBe(0);
    await snap(page, 'customers-readonly');
  });

  it('jumps with Ctrl+K to a customer by the pinyin initials of its name; the detail names its followers', async () => {
    const page = await stage().newPage();
    await openList(page);
    const db = stage().database.db;
    // A demo customer whose initials (three letters, no other demo customer shares them) find it alone.
    const [picked] = await db
      .select({ id: customers.externalUserid, name: customers.name, initials: customers.nameInitials })
      .from(customers)
      .where(
        and(
          eq(customers.corpId, 'ww-demo'),
          sql`${customers.nameInitials} ~ '^[a-z]{3}$'`,
          sql`(select count(*) from customers o where o.corp_id = ${customers.corpId} and o.name_initials = ${customers.nameInitials}) = 1`,
        ),
      )
      .limit(1);
    const [follow] = await db
      .select({ name: employees.name })
      .from(follows)
      .innerJoin(employees, and(eq(employees.corpId, follows.corpId), eq(employees.userid, follows.userid)))
      .where(and(eq(follows.corpId, 'ww-demo'), eq(follows.externalUserid, picked!.id)))
      .limit(1);
    await page.keyboard.press('Control+k');
    await page.getByLabel('输入名称或拼音首字母，回车跳转').fill(picked!.initials!);
    const hit = page.getByRole('dialog').locator('.ant-list-item', { hasText: '客户' }).filter({ hasText: picked!.name }).first();
    await hit.waitFor();
    await snap(page, 'customers-quick-jump-initials');
    await hit.click();
    await page.waitForURL(`**/customers?customer=${encodeURIComponent(picked!.id)}`);
    const drawer = page.locator('.ant-drawer');
    await drawer.locator('.ant-drawer-title', { hasText: picked!.name }).waitFor();
    // The follow relation is headed by the employee's name (the userid only in its tooltip).
    await drawer.locator('.ant-list-item strong', { hasText: follow!.name }).first().waitFor();
    await snap(page, 'customers-detail-follower-names');
    // The list's own name search takes the same initials.
    await page.locator('.ant-drawer-close').click();
    await page.waitForURL((url) => !url.search.includes('customer='));
    await page.getByLabel('搜索客户名称').fill(picked!.initials!);
    await countLabel(page)
      .getByText(/^共 1 位客户/)
      .waitFor();
    expect((await page.locator('.ant-table-tbody .ant-table-row').first().locator('button').first().innerText()).trim()).toBe(picked!.name);
    await snap(page, 'customers-search-initials');
  });

  it('jumps with Ctrl+K to a customer by name and opens the detail; English reads as English', async () => {
    const page = await stage().newPage();
    await openList(page);
    const name = (await page.locator('.ant-table-tbody .ant-table-row').first().locator('button').first().innerText()).trim();
    await page.keyboard.press('Control+k');
    const search = page.getByLabel('输入名称或拼音首字母，回车跳转');
    await search.fill(name);
    const hit = page.getByRole('dialog').locator('.ant-list-item', { hasText: '客户' }).filter({ hasText: name }).first();
    await hit.waitFor();
    await snap(page, 'customers-quick-jump');
    await hit.click();
    await page.waitForURL(/\/customers\?customer=/);
    await page.locator('.ant-drawer').getByText('跟进员工与标签').waitFor();
    await page.locator('.ant-drawer-close').click();
    await page.waitForURL((url) => !url.search.includes('customer='));
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'Customers' }).waitFor();
    await countLabel(page)
      .getByText(/5000 customers/)
      .waitFor();
    await snap(page, 'customers-en');
  });
});
