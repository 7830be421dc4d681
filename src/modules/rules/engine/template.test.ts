import { describe, expect, it } from 'vitest';
import { refusal } from './refusal.test-support.js';
import { checkTemplate, renderTagName } from './template.js';

const at = new Date('2026-02-28T17:00:00Z'); // 2026-03-01 01:00 in Shanghai, still February in UTC
const path = 'body.definition.actions.0.template';

describe('tag-name templates at save time', () => {
  it('accepts date placeholders and the trigger’s fields within the limit', () => {
    expect(() => checkTemplate('新用户-{M}月活动期', ['state'], 16, path)).not.toThrow();
    expect(() => checkTemplate('{yyyy}-{campaign}', 'any', 16, path)).not.toThrow();
    expect(() => checkTemplate('已购买-{product}', 'any', 16, path)).not.toThrow();
  });

  it('refuses a template whose fixed part plus the widest dates already exceeds the limit', () => {
    // 12 fixed characters + {yyyy} 4 + {MM} 2 = 18 > 16
    const error = refusal(() => checkTemplate('春季大促新用户活动期客户-{yyyy}{MM}', [], 16, path));
    expect(error.code).toBe('name_too_long');
    expect(error.details?.[0]).toMatchObject({ path, limit: 16 });
    // {M} counts as two characters: 15 + 2 > 16 although March renders as 1
    expect(refusal(() => checkTemplate('一二三四五六七八九十一二三四五{M}', [], 16, path)).code).toBe('name_too_long');
    expect(() => checkTemplate('一二三四五六七八九十一二三四{M}', [], 16, path)).not.toThrow();
  });

  it('follows the corp’s own limit', () => {
    expect(() => checkTemplate('一二三四五六七八九十一二三四五{M}', [], 20, path)).not.toThrow();
  });

  it.each([
    ['已购买-{product}', 'unknown placeholder {product}'],
    ['新用户-{M月', 'without its "}"'],
    ['新用户}', 'without its "{"'],
    ['新用户-{}', 'is not a placeholder'],
    ['新用户-{月份}', 'is not a placeholder'],
    ['新\u200b用户', 'invisible'],
  ])('refuses %j naming the field', (template, message) => {
    const error = refusal(() => checkTemplate(template, ['state'], 16, path));
    expect(error.code).toBe('validation_failed');
    expect(error.details?.[0]?.path).toBe(path);
    expect(error.message).toContain(message);
  });
});

describe('renderTagName', () => {
  it('renders dates in the rule’s timezone from the event time', () => {
    expect(renderTagName('新用户-{M}月活动期', { at, timezone: 'Asia/Shanghai', fields: {} }, 16)).toEqual({ ok: true, name: '新用户-3月活动期' });
    expect(renderTagName('新用户-{M}月活动期', { at, timezone: 'UTC', fields: {} }, 16)).toEqual({ ok: true, name: '新用户-2月活动期' });
    expect(renderTagName('{yyyy}{MM}{dd}-{d}', { at, timezone: 'Asia/Shanghai', fields: {} }, 16)).toEqual({ ok: true, name: '20260301-1' });
  });

  it('fills named fields from the event', () => {
    expect(renderTagName('已购买-{product}', { at, timezone: 'Asia/Shanghai', fields: { product: '年卡' } }, 16)).toEqual({ ok: true, name: '已购买-年卡' });
    expect(renderTagName('{yyyy}-{campaign}', { at, timezone: 'Asia/Shanghai', fields: { campaign: '春季' } }, 16)).toEqual({ ok: true, name: '2026-春季' });
  });

  it('returns a typed failure for a name too long, a missing field or a name the policy refuses', () => {
    expect(renderTagName('已购买-{product}', { at, timezone: 'Asia/Shanghai', fields: { product: '超长的产品名称超长的产品名称' } }, 16)).toMatchObject({
      ok: false,
      reason: 'too_long',
      length: 18,
      max: 16,
    });
    expect(renderTagName('已购买-{product}', { at, timezone: 'Asia/Shanghai', fields: {} }, 16)).toEqual({
      ok: false,
      reason: 'missing_field',
      field: 'product',
    });
    expect(renderTagName('已购买-{product}', { at, timezone: 'Asia/Shanghai', fields: { product: 'a\u0007' } }, 16)).toMatchObject({
      ok: false,
      reason: 'invalid_name',
    });
    expect(renderTagName('{p}', { at, timezone: 'Asia/Shanghai', fields: { p: '   ' } }, 16)).toMatchObject({ ok: false, reason: 'invalid_name' });
    expect(renderTagName('{toString}', { at, timezone: 'Asia/Shanghai', fields: {} }, 16)).toEqual({ ok: false, reason: 'missing_field', field: 'toString' });
  });
});
