import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../i18n/en-US/connector.json';
import zh from '../../i18n/zh-CN/connector.json';

/** Every key path of a namespace, plural forms (`_one`, `_other`) folded into their key. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix.replace(/_(one|other)$/, '')];
  return [...new Set(Object.entries(value).flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k)))].sort();
}

/** The fixed keys the 企业微信连接 and 事件推送 pages ask for (`t('…')` with a plain string). */
function keysUsed(): string[] {
  const dirs = ['connector', 'webhook-subscriptions'].map((d) => join(import.meta.dirname, '..', d));
  const files = dirs.flatMap((d) => readdirSync(d).map((f) => join(d, f))).filter((f) => f.endsWith('.tsx'));
  const keys = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\bt\('([a-zA-Z.]+)'/g)].map((m) => m[1]!));
  return [...new Set(keys)].sort();
}

describe('企业微信连接 and 事件推送 translations', () => {
  it('have the same keys in Chinese and English', () => {
    expect(keyPaths(en)).toEqual(keyPaths(zh));
  });

  it('hold every key the pages ask for', () => {
    const known = new Set(keyPaths(zh));
    expect(keysUsed().filter((k) => !known.has(k))).toEqual([]);
  });
});
