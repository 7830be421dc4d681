import { describe, expect, it } from 'vitest';
import { changedFields, fieldsOf } from './tag-fields.js';

describe('a smart tag’s colour, order and description in the editor', () => {
  const saved = fieldsOf({ color: '#1677ff', order: 3, description: '意向高' });

  it('sends nothing when nothing changed, so a rename alone does not rewrite the other fields', () => {
    expect(changedFields(saved, { ...saved })).toEqual({});
    expect(changedFields(saved, { ...saved, description: ' 意向高 ' })).toEqual({});
  });

  it('sends exactly the changed fields, the description trimmed', () => {
    expect(changedFields(saved, { color: '#ff0000', order: 3, description: '意向高' })).toEqual({ color: '#ff0000' });
    expect(changedFields(saved, { color: '#1677ff', order: 0, description: ' 新描述 ' })).toEqual({ order: 0, description: '新描述' });
    expect(changedFields(saved, { ...saved, description: '' })).toEqual({ description: '' });
  });

  it('a tag without a colour starts with none, and a cleared colour or order is not sent (the API has no "none")', () => {
    expect(fieldsOf({ color: '', order: 0, description: '' })).toEqual({ color: undefined, order: 0, description: '' });
    expect(changedFields(saved, { description: '意向高' })).toEqual({});
  });

  it('a new tag sends only what the user filled in', () => {
    expect(changedFields(fieldsOf(), fieldsOf())).toEqual({});
    expect(changedFields(fieldsOf(), { color: '#00aa00', order: 5, description: '' })).toEqual({ color: '#00aa00', order: 5 });
  });
});
