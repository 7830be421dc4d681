import { and, eq } from 'drizzle-orm';
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { systemContext, withTx } from '../../src/context.js';
import { customers } from '../../src/db/schema/index.js';
import { addCustomers } from '../../src/modules/customers/commands/add-customers.js';
import { demo, describeBrowser, logIn, snap, useStage } from './support.js';

/** A full-page screenshot for a person to look at, beside the other browser tests' (not committed). */
const shot = (page: Page, name: string) => snap(page, `inputs-${name}`);

/** Opens the multiple select labelled `label`, searches `text`, picks the first match and closes it by clicking `away`. */
async function choose(page: Page, label: string, text: string, away: Locator) {
  const box = page.getByRole('combobox', { name: label, exact: true });
  await box.click();
  await page.keyboard.type(text);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first().click();
  await away.click();
  await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
}

/** Sends a JSON request from the page (with its session), as the console does. */
async function call(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return page.evaluate(
    async ([m, url, payload]) => {
      const res = await fetch(`/api/v1${url}`, {
        method: m as string,
        headers: payload === undefined ? {} : { 'content-type': 'application/json' },
        body: payload === undefined ? undefined : JSON.stringify(payload),
      });
      return { status: res.status, body: res.status === 204 ? null : await res.json() };
    },
    [method, path, body] as const,
  );
}

const save = (scope: Page | Locator) => scope.getByRole('button', { name: /^(保\s*存|Save)$/ });

describeBrowser('inputs: 渠道活码, 客户群 join ways and 数据接入', () => {
  const stage = useStage();

  it('creates a contact way with a window and a default tag, shows its QR code and who came in through it', { timeout: 240_000 }, async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    const groups = (await call(page, 'GET', '/tag-groups')).body.groups as { name: string; tags: { tagId: string; name: string }[] }[];
    const tag = groups.find((g) => g.tags.length > 0)!.tags[0]!;
    await page.goto('/contact-ways');
    await page.getByRole('heading', { name: '渠道活码' }).waitFor();
    await page.getByRole('button', { name: /新建活码/ }).click();
    const drawer = page.locator('.ant-drawer-open');
    await drawer.getByText('新建活码').first().waitFor();
    const away = drawer.locator('.ant-drawer-title');
    await choose(page, '接待员工', demo.admin.username, away);
    await drawer.getByLabel('渠道标识（state）').fill('e2e春季');
    await drawer.getByLabel('备注').fill('春季活动');
    await choose(page, '默认标签', tag.name, away);
    await drawer.getByLabel('活动开始（北京时间）').click();
    await page.keyboard.type('2026-01-01 09:00');
    await page.keyboard.press('Enter');
    await away.click();
    await save(drawer).click();
    await page.getByText('活码已保存').waitFor();
    const ways = (await call(page, 'GET', '/contact-ways')).body.contactWays as {
      configId: string;
      state: string;
      startsAt: string;
      defaultTagIds: string[];
    }[];
    const way = ways.find((w) => w.state === 'e2e春季')!;
    expect(way).toMatchObject({ startsAt: '2026-01-01T01:00:00.000Z', defaultTagIds: [tag.tagId] });
    await page.getByRole('cell', { name: '进行中' }).first().waitFor();

    // A customer added through the way's state, as contact sync records it.
    const { db } = stage().database;
    const [externalUserid] = await withTx(systemContext(db, 'ww-demo'), (tx) =>
      addCustomers(tx, [{ name: '扫码来的王女士', follows: [{ userid: demo.admin.username, state: 'e2e春季', addTime: new Date() }] }]),
    );
    const [added] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.corpId, 'ww-demo'), eq(customers.externalUserid, externalUserid!)));
    expect(added?.name).toBe('扫码来的王女士');

    await page.reload();
    await page.getByRole('button', { name: '查看 春季活动 的二维码和来客' }).click();
    const detail = page.locator('.ant-drawer-open', { hasText: '活码：春季活动' });
    await detail.getByTestId('local-qr').locator('canvas').waitFor();
    await detail.getByRole('cell', { name: new RegExp(`扫码来的王女士 \\(${externalUserid}\\)`) }).waitFor();
    await detail.getByText('通过它进来的人（1）').waitFor();
    await shot(page, 'contact-way-detail-zh');
    await detail.locator('.ant-drawer-close').click();
    await detail.waitFor({ state: 'hidden' });
    await shot(page, 'contact-ways-list-zh');
  });

  it('creates a join way for a chat, shows its QR code and who joined through it, and the chat members with 入群时间', { timeout: 240_000 }, async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    expect((await call(page, 'POST', '/group-chats', { chatId: 'wrE2E', owner: demo.admin.username, name: '春季看房群' })).status).toBe(201);
    const someone = (await stage().database.db.select().from(customers).where(eq(customers.corpId, 'ww-demo')).limit(1))[0]!;
    const joined = await call(page, 'POST', '/group-chats/wrE2E/members', {
      externalUserid: someone.externalUserid,
      joinTime: new Date().toISOString(),
      joinScene: 3,
      state: 'e2e入群',
      name: someone.name,
    });
    expect(joined.status).toBe(201);
    await page.goto('/group-chats');
    await page.getByRole('heading', { name: '客户群' }).waitFor();
    await page.getByRole('button', { name: '春季看房群' }).click();
    const members = page.locator('.ant-drawer-open', { hasText: '群成员：春季看房群' });
    await members.getByRole('cell', { name: '扫描群二维码' }).waitFor();
    await shot(page, 'group-chat-members-zh');
    await page.locator('.ant-drawer-open .ant-drawer-close').click();
    await page.locator('.ant-drawer-open').waitFor({ state: 'hidden' });

    await page.getByRole('tab', { name: '入群活码' }).click();
    await page.getByRole('button', { name: /新建入群活码/ }).click();
    const drawer = page.locator('.ant-drawer-open', { hasText: '新建入群活码' });
    await choose(page, '群聊', '春季看房群', drawer.locator('.ant-drawer-title'));
    await drawer.getByLabel('渠道标识（state）').fill('e2e入群');
    await drawer.getByLabel('备注').fill('看房群码');
    await save(drawer).click();
    await page.getByText('入群活码已保存').waitFor();
    await page.getByRole('button', { name: '查看 看房群码 的二维码和入群成员' }).click();
    const detail = page.locator('.ant-drawer-open', { hasText: '入群活码：看房群码' });
    await detail.getByTestId('local-qr').locator('canvas').waitFor();
    await detail.getByText('通过它进来的人（1）').waitFor();
    await detail.locator('.ant-table').getByRole('cell', { name: '春季看房群' }).waitFor();
    await shot(page, 'join-way-detail-zh');
  });

  it('creates a webhook source, shows its secret once, tests a delivery and shows a signed one in the log', { timeout: 240_000 }, async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    const someone = (await stage().database.db.select().from(customers).where(eq(customers.corpId, 'ww-demo')).limit(1))[0]!;
    await page.goto('/webhook-sources');
    await page.getByRole('heading', { name: '数据接入' }).waitFor();
    await page.getByRole('button', { name: /新建接入源/ }).click();
    const drawer = page.locator('.ant-drawer-open', { hasText: '新建接入源' });
    await drawer.getByLabel('名称', { exact: true }).fill('门店商城');
    await shot(page, 'webhook-source-new-zh');
    await save(drawer).click();

    const secretBox = page.getByRole('dialog', { name: /签名密钥/ });
    await secretBox.getByText('密钥只显示这一次').waitFor();
    const secret = (await page.getByTestId('webhook-secret').textContent())!.trim();
    expect(secret.length).toBeGreaterThan(20);
    await secretBox.getByLabel('客户 external_userid（可选）').fill(someone.externalUserid);
    await secretBox.getByRole('button', { name: '发送示例' }).click();
    await secretBox.getByText(/已接收，记录为 webhook\.order\.paid/).waitFor();
    await shot(page, 'webhook-secret-zh');
    await secretBox.getByRole('button', { name: '我已保存' }).click();
    await page.getByTestId('webhook-secret').waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);

    await page.getByRole('button', { name: '门店商城', exact: true }).click();
    const panel = page.locator('.ant-drawer-open', { hasText: '测试投递' });
    await panel.getByLabel('客户 external_userid（可选）').fill(someone.externalUserid);
    await panel.getByRole('button', { name: /^测\s*试$/ }).click();
    await panel.getByText('映射成功，客户存在').waitFor();
    await shot(page, 'webhook-test-zh');
    await panel.getByRole('tab', { name: '投递日志' }).click();
    await panel.getByRole('cell', { name: '已接收 202' }).waitFor();
    await panel.getByRole('cell', { name: new RegExp(`order\\.paid · ${someone.externalUserid}`) }).waitFor();
    await shot(page, 'webhook-log-zh');
  });

  it('reads in English: the three pages and a QR code', { timeout: 240_000 }, async () => {
    const page = await stage().newPage();
    await page.addInitScript("localStorage.setItem('tagloom.language', 'en-US')");
    await logIn(page, demo.admin, '/contact-ways');
    await page.getByRole('heading', { name: 'Contact QR codes' }).waitFor();
    await page.getByRole('cell', { name: 'Running' }).first().waitFor();
    await shot(page, 'contact-ways-list-en');
    await page.getByRole('button', { name: 'Show the QR code and arrivals of 春季活动' }).click();
    await page.getByTestId('local-qr').locator('canvas').waitFor();
    await page.getByText('Who came in through it (1)').waitFor();
    await shot(page, 'contact-way-detail-en');
    await page.goto('/group-chats');
    await page.getByRole('heading', { name: 'Group chats' }).waitFor();
    await page.getByRole('tab', { name: 'Join QR codes' }).click();
    await page.getByRole('cell', { name: 'e2e入群' }).waitFor();
    await shot(page, 'join-ways-en');
    await page.goto('/webhook-sources');
    await page.getByRole('heading', { name: 'Webhook sources' }).waitFor();
    await page.getByRole('button', { name: '门店商城', exact: true }).click();
    await page.getByRole('tab', { name: 'Delivery log' }).click();
    await page.getByRole('cell', { name: 'Accepted 202' }).waitFor();
    await shot(page, 'webhook-log-en');
  });
});
