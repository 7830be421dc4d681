import { describe, expect, it, vi } from 'vitest';
import { type JssdkConfigDto, resolveCurrentCustomer, signedUrl, type WecomSdk } from './current-customer.js';

const wecomUa = 'Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh';
const browserUa = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0';
const config: JssdkConfigDto = { corpId: 'ww1', agentId: 1000002, timestamp: 1700000000, nonceStr: 'n', signature: 's' };

function fakeSdk(userId: string | Error): WecomSdk & { registered: unknown[] } {
  const registered: unknown[] = [];
  return {
    registered,
    register: (options) => void registered.push(options),
    getCurExternalContact: async () => {
      if (userId instanceof Error) throw userId;
      return { userId };
    },
  };
}

describe('the sidebar’s current customer', () => {
  it('inside WeCom: registers with the server’s signature of the page (no #fragment) and takes the JS-SDK’s customer over the query', async () => {
    const sdk = fakeSdk('wm-from-sdk');
    const fetchConfig = vi.fn(async () => config);
    const found = await resolveCurrentCustomer({
      userAgent: wecomUa,
      href: 'https://t.example/sidebar?externalUserid=wm-query#top',
      fetchConfig,
      loadSdk: async () => sdk,
    });
    expect(found).toEqual({ externalUserid: 'wm-from-sdk', via: 'jssdk' });
    expect(fetchConfig).toHaveBeenCalledWith('https://t.example/sidebar?externalUserid=wm-query');
    expect(sdk.registered).toMatchObject([{ corpId: 'ww1', agentId: 1000002, jsApiList: ['getCurExternalContact'] }]);
  });

  it('falls back to ?externalUserid= outside WeCom (never loading the SDK) and when the JS-SDK fails', async () => {
    const loadSdk = vi.fn(async () => fakeSdk('x'));
    expect(
      await resolveCurrentCustomer({ userAgent: browserUa, href: 'https://t.example/sidebar?externalUserid=wm1', fetchConfig: async () => config, loadSdk }),
    ).toEqual({
      externalUserid: 'wm1',
      via: 'query',
    });
    expect(loadSdk).not.toHaveBeenCalled();
    const failing = fakeSdk(new Error('getCurExternalContact:fail without context of external contact'));
    expect(
      await resolveCurrentCustomer({
        userAgent: wecomUa,
        href: 'https://t.example/sidebar?externalUserid=wm2',
        fetchConfig: async () => config,
        loadSdk: async () => failing,
      }),
    ).toEqual({ externalUserid: 'wm2', via: 'query' });
  });

  it('gives up on a JS-SDK that never answers (no WeCom bridge) and falls back', async () => {
    const silent: WecomSdk = { register: () => {}, getCurExternalContact: () => new Promise(() => {}) };
    const found = await resolveCurrentCustomer({
      userAgent: wecomUa,
      href: 'https://t.example/sidebar?externalUserid=wm3',
      fetchConfig: async () => config,
      loadSdk: async () => silent,
      timeoutMs: 10,
    });
    expect(found).toEqual({ externalUserid: 'wm3', via: 'query' });
  });

  it('says why when neither gives a customer', async () => {
    expect(
      await resolveCurrentCustomer({
        userAgent: browserUa,
        href: 'https://t.example/sidebar',
        fetchConfig: async () => config,
        loadSdk: async () => fakeSdk('x'),
      }),
    ).toEqual({
      externalUserid: null,
      reason: 'no_customer',
    });
    const notConnected = await resolveCurrentCustomer({
      userAgent: wecomUa,
      href: 'https://t.example/sidebar?externalUserid=%20',
      fetchConfig: async () => {
        throw new Error('This corp is not connected to WeCom yet');
      },
      loadSdk: async () => fakeSdk('x'),
    });
    expect(notConnected).toEqual({ externalUserid: null, reason: 'jssdk_failed', detail: 'This corp is not connected to WeCom yet' });
  });

  it('signs the URL without its fragment', () => {
    expect(signedUrl('https://t.example/sidebar?a=1#b')).toBe('https://t.example/sidebar?a=1');
  });
});
