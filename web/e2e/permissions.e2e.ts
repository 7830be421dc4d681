import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { employees } from '../../src/db/schema/index.js';
import { demo, describeBrowser, logIn, snap, useStage } from './support.js';

/** Ends the session through the user menu, so the next login is a fresh one. */
async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '账号菜单' }).click();
  await page.getByText('退出登录').click();
  await page.waitForURL(/\/login/);
}

describeBrowser('权限配置 in Chromium: the matrix, members, departments, apps', () => {
  const stage = useStage();

  it('admin unticks 经理 × 新建标签组: after re-login the manager has no 新建标签组 and the server refuses the call', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.manager);
    await page.getByRole('button', { name: /新建标签组/ }).waitFor();
    await logOut(page);

    await logIn(page, demo.admin);
    await page.getByRole('menuitem', { name: /权限配置/ }).click();
    await page.waitForURL(/\/permissions/);
    const box = page.getByRole('checkbox', { name: '经理：新建标签组' });
    await box.waitFor();
    expect(await box.isChecked()).toBe(true);
    await snap(page, 'permissions-matrix-zh');
    await box.click();
    await page.getByText('已保存').first().waitFor();
    await expect.poll(() => box.isChecked(), { timeout: 2_000 }).toBe(false);
    await logOut(page);

    await logIn(page, demo.manager);
    await page.getByRole('heading', { name: '客户标签' }).waitFor();
    await page.getByText('客户等级').first().waitFor();
    expect(await page.getByRole('button', { name: /新建标签组/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /从模板添加/ }).count()).toBe(0);
    const direct = await page.evaluate(async () => {
      const res = await fetch('/api/v1/tag-groups', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: '越权组', tags: [{ name: 'x' }] }),
      });
      return { status: res.status, body: await res.json() };
    });
    expect(direct.status).toBe(403);
    expect(direct.body.error.code).toBe('forbidden');
    await snap(page, 'permissions-manager-after-revoke');
  });

  it('creates a department (a non-empty one’s deletion is refused with the server’s message), an employee in it listed by the filter, then moves the department', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin, '/permissions?tab=departments');
    const root = (await page.evaluate(async () => (await (await fetch('/api/v1/departments')).json()).departments[0].name)) as string;
    await page.getByRole('button', { name: `在 ${root} 下添加子部门` }).click();
    await page.getByRole('dialog').getByLabel('部门名称').fill('浦东体验店');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^保\s*存$/ })
      .click();
    await page.getByRole('button', { name: '重命名部门 浦东体验店' }).waitFor();
    await snap(page, 'permissions-departments');
    await page.getByRole('button', { name: '删除部门 华东大区' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^删\s*除$/ })
      .click();
    await page.getByText(/has sub-departments/).waitFor();
    expect(await page.getByRole('button', { name: '删除部门 华东大区' }).count()).toBe(1);

    await page.getByRole('tab', { name: '成员' }).click();
    await page.getByRole('button', { name: /添加成员/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('账号').fill('pd-sales-1');
    await dialog.getByLabel('姓名').fill('浦东销售一号');
    await dialog.locator('.ant-tree-select').click();
    await page.keyboard.type('浦东');
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '浦东体验店' }).click();
    await dialog.locator('.ant-modal-title').click();
    await dialog.getByRole('button', { name: /^保\s*存$/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('.ant-tree').getByText('浦东体验店', { exact: true }).click();
    await page.getByRole('cell', { name: '浦东销售一号', exact: true }).waitFor();
    expect(await page.locator('.ant-table-tbody tr.ant-table-row').count()).toBe(1);
    await snap(page, 'permissions-members-filtered');
    const [row] = await stage()
      .database.db.select()
      .from(employees)
      .where(and(eq(employees.corpId, 'ww-demo'), eq(employees.userid, 'pd-sales-1')));
    expect(row).toMatchObject({ name: '浦东销售一号', role: 'staff' });

    await page.getByRole('tab', { name: '部门' }).click();
    await page.getByRole('button', { name: '移动部门 浦东体验店' }).click();
    const move = page.getByRole('dialog');
    await move.locator('.ant-tree-select').click();
    await page.keyboard.type('华东大区');
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '华东大区' }).click();
    await move.getByRole('button', { name: /^保\s*存$/ }).click();
    await move.waitFor({ state: 'hidden' });
    const moved = (await page.evaluate(async () => (await (await fetch('/api/v1/departments')).json()).departments)) as {
      name: string;
      parentId: number;
      deptId: number;
    }[];
    expect(moved.find((d) => d.name === '浦东体验店')!.parentId).toBe(moved.find((d) => d.name === '华东大区')!.deptId);
  });

  it('creates an app and shows its secret once; rotating it stops the old secret at /cgi-bin/gettoken and the new one works', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin, '/permissions?tab=apps');
    const gettoken = async (secret: string) =>
      (await (await fetch(`${stage().base}/cgi-bin/gettoken?corpid=ww-demo&corpsecret=${encodeURIComponent(secret)}`)).json()) as { errcode: number };
    const readSecret = async () => (await page.getByTestId('app-secret').textContent())!.trim();

    await page.getByRole('button', { name: /创建应用/ }).click();
    await page.getByRole('dialog').getByLabel('应用名称').fill('门店小程序');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^保\s*存$/ })
      .click();
    await page.getByText('Secret 只显示这一次').waitFor();
    const first = await readSecret();
    expect(first).toMatch(/^[A-Za-z0-9]{43}$/);
    expect((await gettoken(first)).errcode).toBe(0);
    await page.getByRole('button', { name: /我已保存，关闭/ }).click();
    await page.getByTestId('app-secret').waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(first);

    await page.getByRole('button', { name: '重置应用 门店小程序 的 Secret' }).click();
    await page
      .getByRole('button', { name: /^重置 Secret$/ })
      .last()
      .click();
    await page.getByText('Secret 只显示这一次').waitFor();
    const second = await readSecret();
    expect(second).not.toBe(first);
    await snap(page, 'permissions-secret-once');
    expect((await gettoken(first)).errcode).toBe(40001);
    expect((await gettoken(second)).errcode).toBe(0);
    await page.getByRole('button', { name: /我已保存，关闭/ }).click();
    await page.getByTestId('app-secret').waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(second);
    await snap(page, 'permissions-apps');
  });

  it('asks before an admin takes 管理角色与授权 away from their own role, and cancelling keeps it', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin, '/permissions');
    const box = page.getByRole('checkbox', { name: '管理员：管理角色与授权' });
    await box.click();
    await page.locator('.ant-modal-confirm-title', { hasText: '这会取消你自己角色的「管理角色与授权」权限' }).waitFor();
    expect(await page.locator('.ant-modal-confirm').count()).toBe(1);
    await snap(page, 'permissions-self-lockout');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^取\s*消$/ })
      .click();
    expect(await box.isChecked()).toBe(true);
    const admin = (await page.evaluate(async () =>
      (await (await fetch('/api/v1/roles')).json()).roles.find((r: { roleId: string }) => r.roleId === 'admin'),
    )) as { permissions: string[] };
    expect(admin.permissions).toContain('role.manage');
  });

  it('a read-only user sees no 权限配置, the page refuses them, and so does the server', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.readonly);
    await page.getByRole('menuitem', { name: /客户标签/ }).waitFor();
    expect(await page.getByRole('menuitem', { name: /权限配置/ }).count()).toBe(0);
    await page.goto('/permissions');
    await page.getByText('你没有访问「权限配置」的权限').waitFor();
    await snap(page, 'permissions-readonly');
    const calls = await page.evaluate(async () => {
      const call = async (method: string, path: string, body?: unknown) =>
        (await fetch(`/api/v1${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined }))
          .status;
      return {
        patchRole: await call('PATCH', '/roles/readonly', { permissions: ['customer.view', 'tagGroup.create'] }),
        apps: await call('GET', '/apps'),
        employee: await call('POST', '/employees', { userid: 'x1', name: 'x', departmentIds: [1], role: 'admin' }),
      };
    });
    expect(calls).toEqual({ patchRole: 403, apps: 403, employee: 403 });
  });

  it('shows the matrix in English with the permissions’ English labels', async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    await page.getByText('English', { exact: true }).click();
    await page.goto('/permissions');
    await page.getByRole('heading', { name: 'Permissions' }).waitFor();
    await page.getByText('Create tag groups').first().waitFor();
    await page.getByText('Data scope').first().waitFor();
    await snap(page, 'permissions-matrix-en');
    await page.getByRole('tab', { name: 'Members' }).click();
    await page.getByRole('columnheader', { name: 'Role', exact: true }).waitFor();
    await snap(page, 'permissions-members-en');
    await page.getByRole('tab', { name: 'Apps' }).click();
    await page.getByRole('columnheader', { name: 'Visible range', exact: true }).waitFor();
    await snap(page, 'permissions-apps-en');
  });
});
