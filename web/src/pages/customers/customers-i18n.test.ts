import { describe, expect, it } from 'vitest';
import en from '../../i18n/en-US/customers.json';
import zh from '../../i18n/zh-CN/customers.json';

/** Every key path of a namespace, English plural forms (`_one`, `_other`) folded into their key. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix.replace(/_(one|other)$/, '')];
  return [...new Set(Object.entries(value).flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k)))].sort();
}

describe('客户列表 translations', () => {
  it('have the same keys in Chinese and English, so no control falls back to the other language', () => {
    expect(keyPaths(en)).toEqual(keyPaths(zh));
  });
});
