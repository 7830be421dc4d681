import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.js';
import { fieldErrors } from '../../api/field-errors.js';
import en from '../../i18n/en-US/settings.json';
import zh from '../../i18n/zh-CN/settings.json';
import { changedLimits } from './settings-logic.js';

/** Every key path of a translation file, plural forms (`_zero`, `_one`, `_other`) counted as their base key. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix.replace(/_(zero|one|other)$/, '')];
  return [...new Set(Object.entries(value).flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k)))].sort();
}

describe('corp settings form', () => {
  it('sends only the limits the user changed', () => {
    const before = { nameMaxLength: 16, tagsPerGroup: 3000, corpTagsMax: 10000 };
    expect(changedLimits(before, { ...before, nameMaxLength: 10 })).toEqual({ nameMaxLength: 10 });
    expect(changedLimits(before, before)).toEqual({});
  });

  it('puts the server’s refusal on the fields its details name, and leaves other details for the toast', () => {
    const refused = new ApiError(400, 'validation_failed', 'The current password is wrong.', [
      { path: 'body.currentPassword', message: 'does not match' },
      { path: 'body', message: 'elsewhere' },
    ]);
    expect(fieldErrors(refused, ['currentPassword', 'newPassword'])).toEqual([
      { name: 'currentPassword', errors: ['The current password is wrong. (does not match)'] },
    ]);
    expect(
      fieldErrors(new ApiError(400, 'validation_failed', 'A setting is out of range.', [{ path: 'nameMaxLength', message: 'an integer from 1 to 30' }]), [
        'nameMaxLength',
      ]),
    ).toEqual([{ name: 'nameMaxLength', errors: ['A setting is out of range. (an integer from 1 to 30)'] }]);
    expect(fieldErrors(new Error('offline'), ['nameMaxLength'])).toEqual([]);
  });
});

describe('settings translations', () => {
  it('have the same keys in Chinese and English', () => {
    expect(keyPaths(en)).toEqual(keyPaths(zh));
  });
});
