import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { tagGroups } from '../../src/db/schema/index.js';
import { provisionCorp } from '../../src/modules/corps/provision-corp.js';
import { demo, describeBrowser, logIn, type Stage, snap, useStage } from './support.js';

/** Opens a brand-new corp with its first admin and logs that admin in: a tag library with no groups. */
async function freshCorpAdmin(stage: Stage, corpId: string): Promise<Page> {
  const admin = { userid: 'boss', name: '新店老板', password: 'fresh-admin-2026' };
  await provisionCorp(stage.database.db, { corpId, name: '新开业门店', admin }, 'system');
  const page = await stage.newPage();
  await page.goto('/login');
  await page.getByLabel(/企业 ID|Corp ID/).fill(corpId);
  await page.getByLabel(/账号 \(userid\)|User \(userid\)/).fill(admin.userid);
  await page.getByLabel(/^密码$|^Password$/).fill(admin.password);
  await page.getByRole('button', { name: /^(登\s*录|Log in)$/ }).click();
  await page.waitForURL(/\/tags$/);
  return page;
}

const groupNames = async (stage: Stage, corpId: string) =>
  (
    await stage.database.db
      .select({ name: tagGroups.name })
      .from(tagGroups)
      .where(and(eq(tagGroups.corpId, corpId)))
  )
    .map((g) => g.name)
    .sort();

describeBrowser('starter tag templates in Chromium', () => {
  const stage = useStage();

  it('a fresh corp adopts the real-estate template in one click and sees its groups listed, ready to edit', async () => {
    const page = await freshCorpAdmin(stage(), 'ww-fresh-estate');
    await page.getByText('从行业模板开始').waitFor();
    await page.getByText('还没有企业标签，先新建一个标签组').waitFor();
    await snap(page, 'starter-templates-fresh-zh');
    await page.getByRole('button', { name: '一键添加房产模板' }).click();
    await page.getByText('房产模板：已添加 6 个标签组').waitFor();
    await page.getByText('从行业模板开始').waitFor({ state: 'detached' });
    const listed = ['客户等级', '客户来源', '购买意向', '意向户型', '预算范围', '生命周期'];
    for (const name of listed) await page.getByText(name, { exact: true }).first().waitFor();
    await page.getByText('A级-高意向', { exact: true }).waitFor();
    expect(await groupNames(stage(), 'ww-fresh-estate')).toEqual([...listed].sort());
    await page.getByRole('button', { name: /从模板添加/ }).waitFor();
    await snap(page, 'starter-templates-adopted-zh');
  });

  it('on a grown library, 从模板添加 adopts a template and says which groups it skipped as existing', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    await page.getByText('客户等级').first().waitFor();
    expect(await page.getByText('从行业模板开始').count()).toBe(0);
    const before = await groupNames(stage(), 'ww-demo');
    await page.getByRole('button', { name: /从模板添加/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: '一键添加零售模板' }).waitFor();
    await snap(page, 'starter-templates-dialog-zh');
    await page.getByRole('dialog').getByRole('button', { name: '一键添加零售模板' }).click();
    const note = page.locator('.ant-notification-notice');
    await note.getByText(/零售模板：已添加 \d+ 个标签组/).waitFor();
    expect(await note.innerText()).toMatch(/已跳过 \d+ 个同名标签组：.*客户等级/);
    const after = await groupNames(stage(), 'ww-demo');
    const added = after.filter((n) => !before.includes(n));
    expect(added).toContain('消费偏好');
    expect(after.filter((n) => n === '客户等级')).toHaveLength(1);
    await page.getByText('消费偏好').first().waitFor();
    await snap(page, 'starter-templates-skipped-zh');
  });

  it('shows the templates in English on a fresh corp', async () => {
    const page = await freshCorpAdmin(stage(), 'ww-fresh-en');
    await page.getByText('English', { exact: true }).click();
    await page.getByText('Start from an industry template').waitFor();
    await page.getByRole('button', { name: 'Add the Real estate template' }).waitFor();
    await snap(page, 'starter-templates-fresh-en');
  });
});
