import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { corps, tagGroups } from '../../src/db/schema/index.js';
import { demo, describeBrowser, logIn, snap, submitLogin, useStage } from './support.js';

/** A call to `/api/v1` from inside the page, with its session cookie, as a user could make it by hand. */
async function callApi(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const init = JSON.stringify({ method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return page.evaluate(`fetch('/api/v1${path}', ${init}).then(async (res) => ({ status: res.status, body: await res.json() }))`);
}

/** Opens the user menu in the header (a click, as a keyboard or touch user would) and picks an item of it. */
async function userMenu(page: Page, item: RegExp) {
  const button = page.getByRole('button', { name: /账号菜单|Account menu/ });
  await button.waitFor();
  await button.click();
  const entry = page.getByRole('menuitem', { name: item });
  await entry.waitFor();
  await entry.click();
  await entry.waitFor({ state: 'hidden' });
}

describeBrowser('the console in Chromium: corp settings, one’s own password, rule-group tag groups', () => {
  const stage = useStage();

  it('企业设置: an admin lowers the name limit to 10 and the tag library’s counter refuses the 11th character', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    await page.getByRole('menuitem', { name: /企业设置/ }).click();
    await page.getByRole('heading', { name: '企业设置' }).waitFor();
    const limit = page.getByRole('spinbutton', { name: '名称长度上限' });
    await limit.waitFor();
    expect(await limit.inputValue()).toBe('16');
    await page.getByText('标签组和标签名称最多的字符数，1–30（企业微信的上限是 30）').waitFor();
    await limit.fill('10');
    // The limits card's own button (the Moments card below has 保存朋友圈设置).
    await page.getByRole('button', { name: /^save 保\s*存$/ }).click();
    await page.getByText('已保存，新的上限立即生效').waitFor();
    await snap(page, 'settings-admin-zh');
    const [corp] = await stage().database.db.select({ settings: corps.settings }).from(corps).where(eq(corps.corpId, 'ww-demo'));
    expect(corp?.settings).toMatchObject({ nameMaxLength: 10 });

    await page.getByRole('menuitem', { name: /客户标签/ }).click();
    await page.getByRole('button', { name: /新建标签组/ }).click();
    const name = page.getByLabel('标签组名称');
    await name.waitFor();
    await name.fill('一二三四五六七八九十一');
    expect(await name.inputValue()).toBe('一二三四五六七八九十');
    await page.getByText('10 / 10').first().waitFor();
    await snap(page, 'settings-counter-at-10');

    // Back to the default, in English, on a phone-sized screen.
    const narrow = await stage().newPage({ mobile: true });
    await logIn(narrow, demo.admin);
    await narrow.getByText('English', { exact: true }).click();
    await narrow.goto('/settings');
    await narrow.getByRole('heading', { name: 'Corp settings' }).waitFor();
    const english = narrow.getByRole('spinbutton', { name: 'Longest name' });
    await english.waitFor();
    expect(await english.inputValue()).toBe('10');
    await english.fill('16');
    await narrow.getByRole('button', { name: /^save Save$/ }).click();
    await narrow.getByText('Saved; the new limits apply at once').waitFor();
    await snap(narrow, 'settings-admin-en-narrow');
  });

  it('a read-only user has no 企业设置 entry, sees the limits read-only, and the server refuses a PATCH made by hand', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.readonly);
    await page.getByRole('menuitem', { name: /客户标签/ }).waitFor();
    expect(await page.getByRole('menuitem', { name: /企业设置/ }).count()).toBe(0);
    const refused = await callApi(page, 'PATCH', '/settings', { limits: { nameMaxLength: 5 } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    const [corp] = await stage().database.db.select({ settings: corps.settings }).from(corps).where(eq(corps.corpId, 'ww-demo'));
    expect(corp?.settings.nameMaxLength ?? 16).not.toBe(5);

    await page.goto('/settings');
    await page.getByText('你可以查看这些设置；修改需要「修改企业设置」权限。').waitFor();
    const limit = page.getByRole('spinbutton', { name: '名称长度上限' });
    await limit.waitFor();
    expect(await limit.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: /保\s*存/ }).count()).toBe(0);
    await snap(page, 'settings-readonly-zh');
  });

  it('修改密码: a wrong current password is refused on its field; after the change the new password logs in and the old one is refused', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.manager);
    const fresh = 'manager-new-pass-2026';
    await userMenu(page, /修改密码/);
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('当前密码').waitFor();

    await dialog.getByLabel('当前密码').fill('not-my-password');
    await dialog.getByLabel('新密码', { exact: true }).fill('short');
    await dialog.getByLabel('确认新密码').fill('shorter');
    await dialog.getByRole('button', { name: /修改密码/ }).click();
    await dialog.getByText('新密码至少 10 个字符').waitFor();
    await dialog.getByText('两次输入的新密码不一致').waitFor();
    await snap(page, 'password-client-checks');

    await dialog.getByLabel('新密码', { exact: true }).fill(fresh);
    await dialog.getByLabel('确认新密码').fill(fresh);
    await dialog.getByRole('button', { name: /修改密码/ }).click();
    await dialog.getByText('当前密码不正确').waitFor();
    await snap(page, 'password-wrong-current');

    await dialog.getByLabel('当前密码').fill(demo.manager.password);
    await dialog.getByRole('button', { name: /修改密码/ }).click();
    await page.getByText(/^密码已修改/).waitFor();
    await dialog.waitFor({ state: 'hidden' });

    await userMenu(page, /退出登录/);
    await page.waitForURL(/\/login/);
    await submitLogin(page, { username: demo.manager.username, password: demo.manager.password });
    // The refusal's alert, not the 密码已修改 toast, which may still be up when the refusal comes fast.
    await page.getByRole('alert').filter({ hasText: '企业 ID、账号或密码不正确' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await submitLogin(page, { username: demo.manager.username, password: fresh });
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.getByRole('menuitem', { name: /客户标签/ }).waitFor();
  });

  it('规则组: a rule group’s tag group is renamed and reordered from its card, and keeps the new name after a reload', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    const created = await callApi(page, 'POST', '/strategies', { name: '改名规则组', adminList: [demo.admin.username] });
    expect(created.status).toBe(201);
    const strategyId = created.body.strategyId as number;
    const group = await callApi(page, 'POST', `/strategies/${strategyId}/tag-groups`, { name: '旧标签组', tags: [{ name: '老客户' }] });
    expect(group.status).toBe(201);

    const openEditor = async () => {
      await page.goto('/rule-groups');
      const edit = page.getByRole('button', { name: '编辑规则组 改名规则组' });
      await edit.waitFor();
      await edit.click();
    };
    await openEditor();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByRole('button', { name: '编辑标签组 旧标签组' }).click();
    const dialog = page.locator('.ant-modal:visible');
    await dialog.getByText('编辑标签组「旧标签组」').waitFor();
    await dialog.getByLabel('标签组名称').fill('新标签组');
    await dialog.getByRole('spinbutton', { name: '排序值' }).fill('5');
    await snap(page, 'rule-tag-group-rename');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await drawer.locator('.ant-card', { hasText: '新标签组' }).getByText('老客户').waitFor();

    await page.reload();
    await openEditor();
    await drawer.locator('.ant-card', { hasText: '新标签组' }).getByText('老客户').waitFor();
    expect(await drawer.getByText('旧标签组').count()).toBe(0);
    const [saved] = await stage()
      .database.db.select()
      .from(tagGroups)
      .where(and(eq(tagGroups.corpId, 'ww-demo'), eq(tagGroups.groupId, group.body.groupId)));
    expect(saved).toMatchObject({ name: '新标签组', order: 5, kind: 'strategy', strategyId });
  });
});
