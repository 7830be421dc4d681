import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../i18n/en-US/inputs.json';
import zh from '../../i18n/zh-CN/inputs.json';

/** Every key path of a namespace. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value)
    .flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k))
    .sort();
}

/** The fixed keys the 活码, 客户群 and 数据接入 pages ask for (`t('…')` with a plain string). */
function keysUsed(): string[] {
  const dirs = ['contact-ways', 'group-chats', 'webhook-sources'].map((d) => join(import.meta.dirname, '..', d));
  const files = [
    ...dirs.flatMap((d) => readdirSync(d).map((f) => join(d, f))),
    join(import.meta.dirname, '../../components/local-qr.tsx'),
    join(import.meta.dirname, '../../components/cursor-pager.tsx'),
  ].filter((f) => f.endsWith('.tsx'));
  const keys = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\bt\('([a-zA-Z.]+)'/g)].map((m) => m[1]!));
  return [...new Set(keys)].sort();
}

describe('活码, 客户群 and 数据接入 translations', () => {
  it('have the same keys in Chinese and English', () => {
    expect(keyPaths(en)).toEqual(keyPaths(zh));
  });

  it('hold every key the pages ask for', () => {
    const known = new Set(keyPaths(zh));
    expect(keysUsed().filter((k) => !known.has(k))).toEqual([]);
  });
});
