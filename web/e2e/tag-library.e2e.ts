import { and, eq, isNull } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { follows, marks, tagGroups, tags } from '../../src/db/schema/index.js';
import { demo, describeBrowser, logIn, snap, submitLogin, useStage } from './support.js';

describeBrowser('the console in Chromium: login, tag library, quick jump, languages, sidebar', () => {
  const stage = useStage();

  it('logs in with a demo user picked from the list and lands on the tag library', async () => {
    const page = await stage().newPage();
    await page.goto('/tags');
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel(/企业 ID/).fill('ww-demo');
    const adminRow = page.getByRole('row', { name: /管理员/ });
    await adminRow.getByRole('button', { name: /填\s*入/ }).click();
    await page.getByRole('button', { name: /^登\s*录$/ }).click();
    await page.waitForURL(/\/tags$/);
    await page.getByRole('heading', { name: '客户标签' }).waitFor();
    await page.getByText('客户等级').first().waitFor();
    await snap(page, 'tag-library-admin-zh');
  });

  it('refuses a wrong password in the user’s language, without saying which of corp, user or password was wrong, and stays on the login page', async () => {
    const page = await stage().newPage();
    await page.goto('/login');
    await submitLogin(page, { username: demo.admin.username, password: 'wrong-password' });
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toBe('企业 ID、账号或密码不正确');
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('creates a group: the counter stops at the corp’s 16-character limit, and the group is saved', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    await page.getByRole('button', { name: /新建标签组/ }).click();
    const name = page.getByLabel('标签组名称');
    await name.fill('一二三四五六七八九十一二三四五六七');
    expect(await name.inputValue()).toBe('一二三四五六七八九十一二三四五六');
    await page.getByText('16 / 16').first().waitFor();
    await page.getByLabel('第 1 个标签').fill('🇨🇳国旗');
    await page.getByText('3 / 16').waitFor();
    await snap(page, 'create-group-counter');
    await page.getByRole('button', { name: /^保\s*存$/ }).click();
    await page.getByText('一二三四五六七八九十一二三四五六').first().waitFor();
    const [saved] = await stage()
      .database.db.select()
      .from(tagGroups)
      .where(and(eq(tagGroups.corpId, 'ww-demo'), eq(tagGroups.name, '一二三四五六七八九十一二三四五六')));
    expect(saved).toBeTruthy();
  });

  it('hides 新建标签组 from a read-only user, and the server refuses the call if they make it anyway', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.readonly);
    await page.getByText('客户等级').first().waitFor();
    expect(await page.getByRole('button', { name: /新建标签组/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /添加标签/ }).count()).toBe(0);
    const direct = await page.evaluate(async () => {
      const res = await fetch('/api/v1/tag-groups', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: '越权', tags: [{ name: 'x' }] }),
      });
      return { status: res.status, body: await res.json() };
    });
    expect(direct.status).toBe(403);
    expect(direct.body.error.code).toBe('forbidden');
    await snap(page, 'tag-library-readonly');
  });

  it('deletes a tag after listing what depends on it, then restores it with its marks from 最近删除', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    const db = stage().database.db;
    // A marked tag whose group keeps other tags, so deleting it leaves the group (and only the tag lands in 最近删除).
    const live = await db
      .select({ tagId: tags.tagId, groupId: tags.groupId })
      .from(tags)
      .where(and(eq(tags.corpId, 'ww-demo'), isNull(tags.deletedAt)));
    const groupSize = new Map<string, number>();
    for (const t of live) groupSize.set(t.groupId, (groupSize.get(t.groupId) ?? 0) + 1);
    const marked = new Set((await db.selectDistinct({ tagId: marks.tagId }).from(marks).where(eq(marks.corpId, 'ww-demo'))).map((m) => m.tagId));
    const tag = live.filter((t) => marked.has(t.tagId) && groupSize.get(t.groupId)! > 1).sort((a, b) => a.tagId.localeCompare(b.tagId))[0];
    const before = await db
      .select()
      .from(marks)
      .where(and(eq(marks.corpId, 'ww-demo'), eq(marks.tagId, tag!.tagId)));
    const tagName = (await page.evaluate(
      async (id) => (await (await fetch(`/api/v1/tag-groups?tagId=${id}`)).json()).groups[0].tags[0].name,
      tag!.tagId,
    )) as string;
    await page.getByLabel(`删除标签 ${tagName}`).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(new RegExp(`${new Set(before.map((m) => m.externalUserid)).size} 位客户`)).waitFor();
    await snap(page, 'delete-confirm');
    await dialog.getByRole('button', { name: /^删\s*除$/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(
      await db
        .select()
        .from(marks)
        .where(and(eq(marks.corpId, 'ww-demo'), eq(marks.tagId, tag!.tagId))),
    ).toHaveLength(0);
    await page.getByRole('button', { name: /最近删除/ }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText(tagName, { exact: true }).waitFor();
    await drawer
      .getByRole('button', { name: /^恢\s*复$/ })
      .first()
      .click();
    await page.getByText('已恢复').waitFor();
    expect(
      await db
        .select()
        .from(marks)
        .where(and(eq(marks.corpId, 'ww-demo'), eq(marks.tagId, tag!.tagId))),
    ).toHaveLength(before.length);
  });

  it('jumps with Ctrl+K to a tag by its pinyin initials', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    await page.getByText('客户等级').first().waitFor();
    await page.keyboard.press('Control+k');
    const search = page.getByLabel('输入名称或拼音首字母，回车跳转');
    await search.fill('gmyx');
    await page.getByRole('dialog').getByText('购买意向').first().waitFor();
    await snap(page, 'quick-jump');
    await search.press('Enter');
    await page.waitForURL(/\/tags\?group=/);
  });

  it('switches to English and back, remembered across a reload', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'Customer tags' }).waitFor();
    await page.getByRole('button', { name: /New tag group/ }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Customer tags' }).waitFor();
    await snap(page, 'tag-library-admin-en');
    await page.setViewportSize({ width: 400, height: 800 });
    await snap(page, 'tag-library-narrow-en');
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('heading', { name: '客户标签' }).waitFor();
  });

  it('sidebar on a phone: a staff member sees the customer’s tags and applies one with a tap', async () => {
    const db = stage().database.db;
    const [relation] = await db
      .select()
      .from(follows)
      .where(and(eq(follows.corpId, 'ww-demo'), eq(follows.userid, demo.staff.username)))
      .limit(1);
    const page = await stage().newPage({ mobile: true });
    await page.goto(`/sidebar?externalUserid=${relation!.externalUserid}`);
    await page.getByRole('link', { name: /登\s*录/ }).click();
    await submitLogin(page, demo.staff);
    await page.waitForURL(/\/sidebar\?externalUserid=/);
    const chip = page
      .getByRole('checkbox', { name: '看房' })
      .or(page.locator('.ant-tag-checkable', { hasText: '看房' }))
      .first();
    await chip.waitFor();
    const has = async () =>
      (
        await db
          .select()
          .from(marks)
          .where(and(eq(marks.corpId, 'ww-demo'), eq(marks.externalUserid, relation!.externalUserid), eq(marks.userid, demo.staff.username)))
      ).length;
    const count = await has();
    const checked = (await chip.getAttribute('class'))?.includes('ant-tag-checkable-checked');
    await chip.click();
    await page.waitForFunction((wasChecked) => {
      const el = [...document.querySelectorAll('.ant-tag-checkable')].find((e) => e.textContent === '看房');
      return el && el.classList.contains('ant-tag-checkable-checked') !== wasChecked;
    }, checked);
    expect(await has()).toBe(checked ? count - 1 : count + 1);
    await snap(page, 'sidebar-mobile');
  });
});
