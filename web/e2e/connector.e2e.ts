import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { follows, wecomCallbacks, wecomPushQueue } from '../../src/db/schema/index.js';
import { SecretBox } from '../../src/modules/connector/secret-box.js';
import { demo, describeBrowser, logIn, snap, useStage } from './support.js';

// A small stand-in for WeCom (gettoken, the tag library, an empty customer list, marks, the JS-SDK
// ticket), recording each path it was asked for.
const calls: string[] = [];
let wecom: Server;
let receiver: Server;
const received: { headers: Record<string, unknown>; body: string }[] = [];
let apiBase = '';
let hookUrl = '';

beforeAll(async () => {
  wecom = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace('/cgi-bin/', '');
    calls.push(path);
    res.setHeader('content-type', 'application/json');
    const ok = (extra: Record<string, unknown>) => res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', ...extra }));
    if (path === 'gettoken') {
      if (url.searchParams.get('corpsecret') !== 'right-secret') return res.end(JSON.stringify({ errcode: 40001, errmsg: 'invalid secret' }));
      return ok({ access_token: 'AT', expires_in: 7200 });
    }
    if (path === 'externalcontact/get_corp_tag_list')
      return ok({
        tag_group: [{ group_id: 'etG1', group_name: '来自企微', create_time: 1, order: 1, tag: [{ id: 'etT1', name: '企微老客', create_time: 1, order: 1 }] }],
      });
    if (path === 'externalcontact/get_strategy_tag_list') return ok({ tag_group: [] });
    if (path === 'externalcontact/get_follow_user_list') return ok({ follow_user: [] });
    if (path === 'externalcontact/batch/get_by_user') return ok({ external_contact_list: [], next_cursor: '' });
    if (path === 'ticket/get') return ok({ ticket: 'TICKET', expires_in: 7200 });
    return ok({});
  });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.end('ok');
    });
  });
  await new Promise<void>((done) => wecom.listen(0, '127.0.0.1', done));
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  apiBase = `http://127.0.0.1:${(wecom.address() as AddressInfo).port}`;
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/tagloom`;
});
afterAll(async () => {
  await new Promise<void>((done) => wecom.close(() => done()));
  await new Promise<void>((done) => receiver.close(() => done()));
});

async function staffCustomer(stage: ReturnType<ReturnType<typeof useStage>>): Promise<string> {
  const [relation] = await stage.database.db
    .select({ externalUserid: follows.externalUserid })
    .from(follows)
    .where(and(eq(follows.corpId, 'ww-demo'), eq(follows.userid, demo.staff.username)))
    .limit(1);
  return relation!.externalUserid;
}

/** Opens a page from the side menu, as a user would. */
async function openFromMenu(page: Page, name: RegExp, heading: string) {
  await page.getByRole('menuitem', { name }).click();
  await page.getByRole('heading', { name: heading, exact: true }).waitFor();
}

describeBrowser('企业微信连接, 事件推送 and the sidebar’s JS-SDK in Chromium', () => {
  const stage = useStage({ secretBox: SecretBox.random(), allowPrivateWebhooks: true });

  it('the sidebar on a phone: outside WeCom it takes ?externalUserid=, inside WeCom without a connection it falls back, and says so when there is no customer', async () => {
    const customer = await staffCustomer(stage());
    const page = await stage().newPage({ mobile: true });
    await logIn(page, demo.staff, '/sidebar');
    await page.getByText('没有指定客户').waitFor();
    await page.getByText(/请在企业微信的客户聊天窗口中打开侧边栏/).waitFor();
    await snap(page, 'sidebar-no-customer-zh');
    await page.goto(`/sidebar?externalUserid=${customer}`);
    await page.locator('.ant-tag, .ant-check-tag').first().waitFor();

    // Inside WeCom's webview (its user agent), before the corp is connected: the server refuses to
    // sign, and the sidebar falls back to the query, or says why when there is none.
    const context = await stage().browser.newContext({
      baseURL: stage().base,
      locale: 'en-US',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 wxwork/4.1.22 MicroMessenger/7.0.1 Language/en',
    });
    const inWecom = await context.newPage();
    await logIn(inWecom, demo.staff);
    await inWecom.getByText('English', { exact: true }).click();
    await inWecom.goto(`/sidebar?externalUserid=${customer}`);
    await inWecom.locator('.ant-tag, .ant-check-tag').first().waitFor();
    await inWecom.goto('/sidebar');
    await inWecom.getByText('Could not get the current customer from WeCom').waitFor();
    expect(await inWecom.getByTestId('jssdk-error').textContent()).toMatch(/not connected to WeCom/);
    await snap(inWecom, 'sidebar-jssdk-failed-en');
    await context.close();
  });

  it('企业微信连接: connect with a generated token and key, a wrong secret shows WeCom’s errcode, test, full pull with progress, a dead letter replayed, the callback log', {
    timeout: 180_000,
  }, async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    await openFromMenu(page, /企业微信连接/, '企业微信连接');
    await page.getByText(/尚未连接企业微信/).waitFor();
    await snap(page, 'connector-empty-zh');

    // A short EncodingAESKey is refused on its field before anything is sent.
    await page.getByLabel('企业 ID（corpid）').fill('ww-real-corp');
    await page.getByLabel('客户联系 Secret').fill('wrong-secret');
    await page.getByLabel('回调 EncodingAESKey').fill('short');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('EncodingAESKey 必须是 43 位字母或数字').waitFor();

    await page.getByRole('button', { name: '生成随机 Token 和 EncodingAESKey' }).click();
    const aesKey = await page.getByLabel('回调 EncodingAESKey').inputValue();
    expect(aesKey).toMatch(/^[A-Za-z0-9]{43}$/);
    expect(await page.getByLabel('回调 Token').inputValue()).toMatch(/^[A-Za-z0-9]{32}$/);
    await page.getByText('高级设置').click();
    await page.getByLabel('API 地址').fill(apiBase);
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('连接已保存').waitFor();
    // Saved secrets are never shown back: the fields are empty and say "saved".
    await expect.poll(() => page.getByLabel('客户联系 Secret').inputValue()).toBe('');
    expect(await page.getByLabel('客户联系 Secret').getAttribute('placeholder')).toBe('已保存（留空则保持不变）');
    expect(await page.content()).not.toContain(aesKey);
    const callbackUrl = await page.getByTestId('callback-url').textContent();
    expect(callbackUrl).toBe(`${stage().base}/hooks/wecom/ww-demo`);

    await page.getByRole('button', { name: /测试连接/ }).click();
    await page.getByText('企业微信返回错误 40001：invalid secret').waitFor();
    await page.getByLabel('客户联系 Secret').fill('right-secret');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('连接已保存').first().waitFor();
    await page.getByRole('button', { name: /测试连接/ }).click();
    await page.getByText('连接成功：企业微信中有 1 个标签组').waitFor();

    await page.getByRole('button', { name: /全量同步/ }).click();
    const progress = page.getByTestId('pull-progress');
    await progress.waitFor();
    await progress.getByText(/已完成|成功/).waitFor({ timeout: 60_000 });
    expect(calls).toContain('externalcontact/get_follow_user_list');
    await page.reload();
    await page.getByText('上次全量同步').waitFor();
    await expect.poll(async () => (await page.getByText('从未').count()) === 0, { timeout: 10_000 }).toBe(true);

    // A change WeCom refused for good is in the dead-letter list with WeCom's words; 重试 queues it again.
    const itemId = randomUUID();
    await stage()
      .database.db.insert(wecomPushQueue)
      .values({
        corpId: 'ww-demo',
        itemId,
        eventSeq: 1,
        eventType: 'follow.tags_changed',
        op: 'mark_tag',
        orderKey: 'wm-e2e',
        payload: { userid: demo.staff.username, external_userid: 'wm-e2e', add_tag: [], remove_tag: [] },
        status: 'dead',
        attempts: 8,
        lastErrcode: 40068,
        lastError: 'invalid tagid',
        doneAt: new Date(),
      });
    await stage()
      .database.db.insert(wecomCallbacks)
      .values([
        { corpId: 'ww-demo', callbackId: randomUUID(), outcome: 'applied', event: 'change_external_contact', changeType: 'edit_external_contact' },
        { corpId: 'ww-demo', callbackId: randomUUID(), outcome: 'refused', reason: 'callback_signature_invalid' },
      ]);
    await page.reload();
    const dead = page.getByTestId('dead-letters');
    await dead.getByText('invalid tagid').waitFor();
    await dead.getByText('40068').waitFor();
    await page.getByText('已应用').waitFor();
    await page.getByText('已拒绝').waitFor();
    await snap(page, 'connector-connected-zh');
    await dead.getByRole('button', { name: /重试/ }).first().click();
    await page.getByText('已放回队列，稍后推送').waitFor();
    const [row] = await stage().database.db.select().from(wecomPushQueue).where(eq(wecomPushQueue.itemId, itemId));
    expect(row!.status).not.toBe('dead');
    await page.getByText('没有推送失败的改动').waitFor();

    // The same page in English.
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'WeCom connection', exact: true }).waitFor();
    await page.getByPlaceholder('Saved (leave empty to keep)').first().waitFor();
    await page.getByRole('button', { name: /Full pull/ }).waitFor();
    await snap(page, 'connector-connected-en');
  });

  it('事件推送: a subscription is created, its secret shown once, a ping is delivered signed and listed with its attempt', { timeout: 120_000 }, async () => {
    const page = await stage().newPage();
    await logIn(page, demo.admin);
    await page.getByText('English', { exact: true }).click();
    await openFromMenu(page, /Outbound webhooks/, 'Outbound webhooks');
    await page.getByText('No subscription yet').waitFor();
    await page
      .getByRole('button', { name: /New subscription/ })
      .first()
      .click();
    await page.getByLabel('Name').fill('CRM');
    await page.getByLabel('Receiver URL').fill('ftp://example.com/x');
    await page.getByRole('button', { name: /^Save$/ }).click();
    await page.getByText('Enter a URL starting with http:// or https://').waitFor();
    await page.getByLabel('Receiver URL').fill(hookUrl);
    await page.getByRole('button', { name: /^Save$/ }).click();
    const secret = page.getByTestId('subscription-secret');
    await secret.waitFor();
    const shown = (await secret.textContent()) ?? '';
    expect(shown.length).toBeGreaterThanOrEqual(16);
    await page.getByText('The secret is shown only this once: copy it to the receiver now.').waitFor();
    await snap(page, 'webhooks-out-secret-en');
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await secret.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(shown);
    await snap(page, 'webhooks-out-list-en');

    await page.getByRole('button', { name: 'Deliveries of CRM' }).click();
    await page.getByRole('button', { name: /Send a test event/ }).click();
    await page.getByText('Test event queued').waitFor();
    const deliveries = page.getByTestId('deliveries');
    await deliveries.getByText(/ping/).first().waitFor({ timeout: 60_000 });
    await snap(page, 'webhooks-out-deliveries-en');

    // The same page in Chinese.
    await page.keyboard.press('Escape');
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('heading', { name: '事件推送', exact: true }).waitFor();
    await snap(page, 'webhooks-out-list-zh');
  });
});
