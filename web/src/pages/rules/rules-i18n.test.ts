import { describe, expect, it } from 'vitest';
import { triggerKinds } from '../../../../contracts/rules.js';
import en from '../../i18n/en-US/tagRules.json';
import zh from '../../i18n/zh-CN/tagRules.json';

/** Every key path of a namespace. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value)
    .flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k))
    .sort();
}

describe('智能打标签 translations', () => {
  it('have the same keys in Chinese and English, so no control falls back to the other language', () => {
    expect(keyPaths(en)).toEqual(keyPaths(zh));
  });

  it('name every trigger kind of the contract', () => {
    for (const kind of triggerKinds) expect(Object.keys(zh.kind)).toContain(kind);
  });
});
