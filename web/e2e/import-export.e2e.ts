import { readFileSync } from 'node:fs';
import { and, eq, inArray } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { customers, marks, operations, tagGroups, tags } from '../../src/db/schema/index.js';
import { demo, describeBrowser, logIn, snap, useStage } from './support.js';

const corpId = 'ww-demo';

/** Picks a CSV in the upload area (the hidden file input of the drop zone). */
async function pickCsv(page: Page, name: string, text: string): Promise<void> {
  await page.locator('input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
  await page.getByText(new RegExp(`已选择 ${name.replace('.', '\\.')}`)).waitFor();
}

/** Clicks the button and returns the text of the file the browser downloads, with its name. */
async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(path!, 'utf8').replace(/^\uFEFF/, '') };
}

describeBrowser('the console in Chromium: import and export, operations, audit log', () => {
  const stage = useStage();

  async function tagNamed(group: string, name: string) {
    const [row] = await stage()
      .database.db.select({ tagId: tags.tagId })
      .from(tags)
      .innerJoin(tagGroups, eq(tags.groupId, tagGroups.groupId))
      .where(and(eq(tags.corpId, corpId), eq(tagGroups.name, group), eq(tags.name, name)));
    return row!.tagId;
  }

  it('a dry run lists a bad line at its line and column with the server’s message, and writes nothing', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin, '/import-export');
    await page.getByRole('heading', { name: '导入导出' }).waitFor();
    const before = (await stage().database.db.select().from(customers).where(eq(customers.corpId, corpId))).length;
    await pickCsv(
      page,
      'leads-bad.csv',
      `userid,name,tags\n${demo.admin.username},好客户,客户等级/A级重要客户\nnobody,坏客户,客户等级/A级重要客户\n${demo.admin.username},,\n`,
    );
    await page.getByRole('button', { name: '检查文件' }).click();
    await page.getByText('发现 2 个问题').waitFor();
    const issues = page.getByRole('table', { name: '文件问题列表' });
    const row = issues.getByRole('row', { name: /unknown employee "nobody"/ });
    expect((await row.getByRole('cell').allInnerTexts()).map((s) => s.trim())).toEqual(['3', 'userid', 'unknown employee "nobody"']);
    expect(
      (
        await issues
          .getByRole('row', { name: /name is required/ })
          .getByRole('cell')
          .allInnerTexts()
      ).slice(0, 2),
    ).toEqual(['4', 'name']);
    expect(await page.getByRole('button', { name: '开始导入' }).isDisabled()).toBe(true);
    await snap(page, 'import-dry-run-issues-zh');
    expect((await stage().database.db.select().from(customers).where(eq(customers.corpId, corpId))).length).toBe(before);
  });

  it('offers a sample file that passes the dry run as downloaded', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin, '/import-export');
    const sample = await download(page, () =>
      page
        .locator('.ant-collapse-extra')
        .getByRole('button', { name: /下载示例文件/ })
        .click(),
    );
    expect(sample.text.split('\r\n')[0]).toBe('external_userid,name,gender,province,city,corp_name,userid,add_time,tags');
    await page.locator('input[type=file]').setInputFiles({ name: sample.name, mimeType: 'text/csv', buffer: Buffer.from(sample.text, 'utf8') });
    await page.getByRole('button', { name: '检查文件' }).click();
    await page.getByText('检查通过，可以导入').waitFor();
    expect(await page.getByLabel('检查结果汇总').innerText()).toMatch(/数据行\s*2[\s\S]*新客户\s*2/);
  });

  it('refuses a cross-site style CSV post riding the cookie; the console’s own upload passes', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    const status = await page.evaluate(
      async () => (await fetch('/api/v1/imports?dryRun=true', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'userid,name\nx,y\n' })).status,
    );
    expect(status).toBe(403);
  });

  it('imports a valid file: the progress bar reaches 100 %, the marks are in the database, and the operation is one click away', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin, '/import-export');
    const names = ['导入测试甲', '导入测试乙'];
    await pickCsv(
      page,
      'leads.csv',
      `userid,name,gender,tags\n${names.map((n) => `${demo.admin.username},${n},女,客户等级/A级重要客户;购买意向/高意向`).join('\n')}\n`,
    );
    await page.getByRole('button', { name: '检查文件' }).click();
    await page.getByText('检查通过，可以导入').waitFor();
    const summary = page.getByLabel('检查结果汇总');
    expect(await summary.innerText()).toMatch(/数据行\s*2[\s\S]*新客户\s*2[\s\S]*将添加标签\s*4[\s\S]*将移除标签\s*0/);
    const answer = page.waitForResponse((r) => r.url().includes('/api/v1/imports?') && r.request().method() === 'POST');
    await page.getByRole('button', { name: '开始导入' }).click();
    // The upload's bar while the file is sent, then the server's stream as it writes, then the operation's.
    const streamed = await answer;
    expect(streamed.headers()['content-type']).toMatch(/^text\/event-stream/);
    expect(await streamed.text()).toMatch(/event: progress\ndata: \{"done":\d+,"total":\d+\}[\s\S]*event: outcome/);
    const link = page.getByRole('link', { name: /查看操作记录 op/ });
    await link.waitFor();
    await page.getByText('已完成 · 2 / 2').waitFor();
    const bar = page.getByRole('progressbar');
    await page.waitForFunction(() => document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow') === '100');
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    await page.waitForTimeout(500); // the bar's fill animation
    await snap(page, 'import-done-zh');

    const db = stage().database.db;
    const created = await db
      .select()
      .from(customers)
      .where(and(eq(customers.corpId, corpId), inArray(customers.name, names)));
    expect(created).toHaveLength(2);
    const tagIds = [await tagNamed('客户等级', 'A级重要客户'), await tagNamed('购买意向', '高意向')];
    const put = await db
      .select()
      .from(marks)
      .where(
        and(
          eq(marks.corpId, corpId),
          inArray(
            marks.externalUserid,
            created.map((c) => c.externalUserid),
          ),
          inArray(marks.tagId, tagIds),
        ),
      );
    expect(put).toHaveLength(4);
    await link.click();
    await page.waitForURL(/\/operations\?id=op/);
    await page.getByRole('dialog').getByText('导入').first().waitFor();
  });

  it('exports customers as CSV under the server’s file name with the expected header row', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin, '/import-export');
    const customersFile = await download(page, () => page.getByRole('button', { name: /导出 CSV/ }).click());
    expect(customersFile.name).toMatch(/^customers-ww-demo-\d{4}-\d\d-\d\d\.csv$/);
    expect(customersFile.text.split('\r\n')[0]).toBe('external_userid,name,gender,province,city,corp_name,followers,tags');
    await page.getByText('全部跟进关系').click();
    const relations = await download(page, () => page.getByRole('button', { name: /导出 CSV/ }).click());
    expect(relations.text.split('\r\n')[0]).toBe('external_userid,name,gender,province,city,corp_name,userid,add_time,tags');
    await page.getByText('按条件筛选的客户群体').click();
    await page.getByLabel('筛选条件').fill('tag:高意向');
    const audience = await download(page, () => page.getByRole('button', { name: /导出 CSV/ }).click());
    expect(audience.name).toMatch(/^audience-/);
    const lines = audience.text.trim().split('\r\n');
    expect(lines[0]).toBe('external_userid,name,gender,province,city,corp_name,followers,tags');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.includes('高意向'))).toBe(true);
    await snap(page, 'export-zh');
  });

  it('undoes an import from the operations page and shows the conflict of a mark removed since', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    const db = stage().database.db;
    await page.goto('/import-export');
    await pickCsv(
      page,
      'undo-me.csv',
      `userid,name,tags\n${demo.admin.username},撤销测试甲,投诉客户/处理中\n${demo.admin.username},撤销测试乙,投诉客户/处理中\n`,
    );
    await page.getByRole('button', { name: '检查文件' }).click();
    await page.getByText('检查通过，可以导入').waitFor();
    await page.getByRole('button', { name: '开始导入' }).click();
    await page.getByRole('link', { name: /查看操作记录 op/ }).waitFor();
    const [imported] = await db
      .select()
      .from(operations)
      .where(and(eq(operations.corpId, corpId), eq(operations.kind, 'import')))
      .orderBy(operations.createdAt)
      .limit(1)
      .offset(
        (
          await db
            .select()
            .from(operations)
            .where(and(eq(operations.corpId, corpId), eq(operations.kind, 'import')))
        ).length - 1,
      );
    const [gone] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.corpId, corpId), eq(customers.name, '撤销测试甲')));
    const tagId = await tagNamed('投诉客户', '处理中');
    // Someone takes the tag off one of the two customers since: a batch untag through the API, run by the worker.
    const batch = await page.evaluate(
      async (body) =>
        (await (
          await fetch('/api/v1/operations/batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        ).json()) as { operation: { operationId: string } },
      { action: 'untag', tagIds: [tagId], selection: { externalUserids: [gone!.externalUserid] } },
    );
    await expect
      .poll(async () => (await db.select().from(operations).where(eq(operations.operationId, batch.operation.operationId)))[0]?.status, { timeout: 20_000 })
      .toBe('succeeded');

    await page.goto('/operations');
    await page.getByRole('heading', { name: '操作记录' }).waitFor();
    await page.getByRole('button', { name: `查看操作 ${imported!.operationId}` }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('button', { name: /^撤\s*销$/ }).click();
    await page
      .getByRole('tooltip')
      .getByRole('button', { name: /^撤\s*销$/ })
      .click();
    await page.getByText(/撤销完成：添加 0，移除 1，冲突 1/).waitFor();
    await drawer.getByRole('link', { name: /已被 op.+ 撤销/ }).click();
    await drawer.getByText('冲突（1）').waitFor();
    const conflict = drawer.getByRole('table', { name: '冲突（1）' }).getByRole('row', { name: new RegExp(gone!.externalUserid) });
    expect(await conflict.innerText()).toMatch(/投诉客户\/处理中[\s\S]*之后已被移除/);
    await snap(page, 'operations-undo-conflicts-zh');
    // The import's marks are off (the other customer's), and the import now offers redo, not undo.
    expect(
      await db
        .select()
        .from(marks)
        .where(and(eq(marks.corpId, corpId), eq(marks.tagId, tagId), eq(marks.operationId, imported!.operationId))),
    ).toHaveLength(0);
    await page.goto(`/operations?id=${imported!.operationId}`);
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^重\s*做$/ })
      .waitFor();
    expect(
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /^撤\s*销$/ })
        .count(),
    ).toBe(0);
  });

  it('filters the audit log by event type, shows only those rows, expands a change, and exports the same filter', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin, '/audit');
    await page.getByRole('heading', { name: '审计日志' }).waitFor();
    const table = page.getByRole('table', { name: '审计日志' });
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    // An actor is checked with the server's own rule before anything is asked.
    await page.getByLabel('操作人').fill('zhangsan');
    await page.getByRole('button', { name: /^筛\s*选$/ }).click();
    await page.getByText('格式如 user:zhangsan 或 app:customer_contact').waitFor();
    await page.getByLabel('操作人').fill('');
    await page.getByLabel('事件类型').fill('tag_group.created');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes('type=tag_group.created')),
      page.getByRole('button', { name: /^筛\s*选$/ }).click(),
    ]);
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    const types = await table.locator('tbody tr.ant-table-row td:nth-child(3)').allInnerTexts();
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types.map((s) => s.trim()))).toEqual(new Set(['tag_group.created']));
    await table.locator('tbody tr.ant-table-row').first().click();
    await page.getByText('变更后').first().waitFor();
    await snap(page, 'audit-filtered-zh');
    const file = await download(page, () => page.getByRole('button', { name: /导出 CSV/ }).click());
    expect(file.name).toMatch(/^audit-ww-demo-/);
    const lines = file.text.trim().split('\r\n');
    expect(lines[0]!.startsWith('seq,at,type,actor,source,subject_type,subject_id')).toBe(true);
    expect(lines.length - 1).toBe(types.length);
    expect(lines.slice(1).every((l) => l.split(',')[2] === 'tag_group.created')).toBe(true);
  });

  it('shows the three pages in English', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    await page.getByText('English', { exact: true }).click();
    await page.goto('/import-export');
    await page.getByRole('heading', { name: 'Import & export' }).waitFor();
    await page.getByText('File format').click();
    await page.getByText('The follower').waitFor();
    await snap(page, 'import-export-en');
    await page.goto('/operations');
    await page.getByRole('heading', { name: 'Operations' }).waitFor();
    await page.locator('tbody tr.ant-table-row').first().waitFor();
    await snap(page, 'operations-en');
    await page.goto('/audit');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.locator('tbody tr.ant-table-row').first().waitFor();
    await snap(page, 'audit-en');
  });

  it('a staff member sees their own operations and no audit log in the menu', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.staff, '/operations');
    await page.getByRole('heading', { name: '操作记录' }).waitFor();
    expect(await page.getByRole('menuitem', { name: /审计日志/ }).count()).toBe(0);
    await snap(page, 'operations-staff-zh');
  });

  it('filters operations by kind: only imports are listed', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    // An import (sent as the console sends it) and a batch, so both kinds are there to tell apart.
    await page.evaluate(async (userid) => {
      await fetch('/api/v1/imports', {
        method: 'POST',
        headers: { 'content-type': 'text/csv', 'tagloom-upload': '1' },
        body: `userid,name\n${userid},筛选测试\n`,
      });
      const customers = (await (await fetch('/api/v1/customers?limit=1')).json()) as { customers: { externalUserid: string }[] };
      const groups = (await (await fetch('/api/v1/tag-groups')).json()) as { groups: { tags: { tagId: string }[] }[] };
      await fetch('/api/v1/operations/batch', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          action: 'tag',
          tagIds: [groups.groups[0]!.tags[0]!.tagId],
          selection: { externalUserids: [customers.customers[0]!.externalUserid] },
        }),
      });
    }, demo.admin.username);
    await page.goto('/operations');
    const rows = page.locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    expect(new Set(await page.locator('tbody tr.ant-table-row td:first-child').allInnerTexts()).size).toBeGreaterThan(1);
    await page.getByLabel('操作类型').click();
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/operations?') && r.url().includes('kind=import')),
      page.locator('.ant-select-item-option[title="导入"]').click(),
    ]);
    await page.waitForTimeout(200);
    const kinds = await page.locator('tbody tr.ant-table-row td:first-child').allInnerTexts();
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set(['导入']));
  });
});
