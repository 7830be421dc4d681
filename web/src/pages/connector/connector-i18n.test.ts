import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../i18n/en-US/connector.json';
import zh from '../../i18n/zh-CN/connector.json';
import { describePush } from './connector-logic.js';

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

describe('a dead push item in the reader language', () => {
  /** A tiny `t` over one namespace's JSON: dotted keys, `{{name}}` values (what i18next does for these keys). */
  const tOf =
    (resources: Record<string, unknown>) =>
    (key: string, values: Record<string, unknown> = {}) => {
      const template = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], resources);
      if (typeof template !== 'string') throw new Error(`missing ${key}`);
      return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));
    };

  it('words a mark, a rename and a delete in Chinese on the zh console, with no English left', () => {
    const t = tOf(zh);
    expect(describePush(t, { action: 'mark', customer: '张三 (wmA)', userid: 'lisi', add: ['高意向'], remove: ['低意向'] })).toBe(
      '为客户 张三 (wmA)（跟进人 lisi）添加 「高意向」；移除 「低意向」',
    );
    expect(describePush(t, { action: 'editGroup', target: '客户等级', rename: '等级', order: 3 })).toBe('编辑标签组「客户等级」：改名为「等级」；排序值改为 3');
    expect(describePush(t, { action: 'delete', tags: ['A'], groups: ['G'] })).toBe('删除标签 「A」；删除标签组 「G」');
    expect(describePush(t, { action: 'createTags', tags: ['新'], group: '来源' })).not.toMatch(/[A-Za-z]/);
  });

  it('and in English on the en console', () => {
    expect(describePush(tOf(en), { action: 'mark', customer: 'wmB', userid: 'lisi', add: [], remove: ['VIP'] })).toBe(
      'Customer wmB (followed by lisi): remove 「VIP」',
    );
  });
});
