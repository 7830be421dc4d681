import { describe, expect, it } from 'vitest';
import { checkTarget, forbiddenAddressReason } from './url-safety.js';

const refused = async (url: string, resolve?: (h: string) => Promise<{ address: string; family: number }[]>) => {
  const result = await checkTarget(url, false, resolve);
  return 'reason' in result ? result.reason : null;
};

describe('outbound webhook URL safety', () => {
  it('refuses loopback, private, link-local (cloud metadata), CGNAT, unspecified, multicast, broadcast, ULA and IPv4-mapped forms', async () => {
    for (const url of [
      'http://127.0.0.1/hook',
      'http://127.1/hook',
      'http://0x7f000001/hook',
      'http://10.1.2.3/hook',
      'http://172.16.0.1/hook',
      'http://192.168.1.1/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/hook',
      'http://0.0.0.0/hook',
      'http://224.0.0.1/hook',
      'http://255.255.255.255/hook',
      'http://[::1]/hook',
      'http://[::]/hook',
      'http://[fc00::1]/hook',
      'http://[fd12:3456::1]/hook',
      'http://[fe80::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[::ffff:169.254.169.254]/hook',
      'http://[::ffff:a00:1]/hook',
    ])
      expect(await refused(url), url).toMatch(/address/);
  });

  it('refuses other schemes, user:password and non-URLs', async () => {
    expect(await refused('ftp://93.184.215.14/x')).toMatch(/scheme must be http or https, not ftp/);
    expect(await refused('file:///etc/passwd')).toMatch(/scheme/);
    expect(await refused('http://user:pw@93.184.215.14/x')).toMatch(/user name or password/);
    expect(await refused('http://user@93.184.215.14/x')).toMatch(/user name or password/);
    expect(await refused('not a url')).toBe('not an absolute URL');
  });

  it('checks every address a host name resolves to, and connects to the checked one', async () => {
    // `localhost` through the system resolver: loopback, refused.
    expect(await refused('http://localhost:8080/hook')).toMatch(/localhost → .*loopback/);
    const answers = (list: string[]) => async () => list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    expect(await refused('https://hooks.example.com/x', answers(['93.184.215.14', '10.0.0.5']))).toMatch(/10\.0\.0\.5 is a private address/);
    expect(await refused('https://hooks.example.com/x', answers([]))).toMatch(/does not resolve/);
    const ok = await checkTarget('https://hooks.example.com:8443/x?y=1', false, answers(['93.184.215.14']));
    expect(ok).toMatchObject({ address: '93.184.215.14', family: 4 });
    expect('url' in ok && ok.url.port).toBe('8443');
  });

  it('lets private addresses through only when the server allows them, never other schemes', async () => {
    expect(await checkTarget('http://127.0.0.1:9/hook', true)).toMatchObject({ address: '127.0.0.1' });
    expect(await checkTarget('ftp://127.0.0.1/hook', true)).toHaveProperty('reason');
    expect(forbiddenAddressReason('8.8.8.8')).toBeNull();
    expect(forbiddenAddressReason('2606:4700:4700::1111')).toBeNull();
  });
});
