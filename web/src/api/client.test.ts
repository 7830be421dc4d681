import i18next from 'i18next';
import { afterAll, describe, expect, it } from 'vitest';
import zhErrors from '../i18n/zh-CN/errors.json';
import { ApiError, errorText } from './client.js';

describe('errorText', () => {
  afterAll(async () => {
    await i18next.changeLanguage('en-US');
  });

  const refused = new ApiError(403, 'forbidden', 'Missing permission tag.manage', [{ path: 'tagIds.0', message: 'not yours' }]);

  it('shows the server’s message and details as they are in English', async () => {
    await i18next.init({ lng: 'en-US', resources: { 'zh-CN': { errors: zhErrors } } });
    expect(errorText(refused)).toBe('Missing permission tag.manage (tagIds.0: not yours)');
  });

  it('starts with what the code means in Chinese, keeping the server’s words after it', async () => {
    await i18next.changeLanguage('zh-CN');
    expect(errorText(refused)).toBe('没有权限执行此操作：Missing permission tag.manage (tagIds.0: not yours)');
    // A code the console has no words for shows the server's message alone.
    expect(errorText(new ApiError(409, 'brand_new_code', 'Something new'))).toBe('Something new');
    expect(errorText(new ApiError(0, 'network', 'Failed to fetch'))).toBe('网络连接失败，请检查网络：Failed to fetch');
  });

  it('every server error code has Chinese words', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync(new URL('../../../src/errors.ts', import.meta.url), 'utf8');
    const codes = [...source.matchAll(/^\s+([a-z_]+): \{/gm)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(20);
    expect(codes.filter((code) => !(code in zhErrors))).toEqual([]);
  });
});
