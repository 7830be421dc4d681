import { describe, expect, it } from 'vitest';
import { assertCorpKeywordTotal, keywordLimits, keywordTriggerSchema } from './limits.js';

const issues = (input: unknown) => {
  const parsed = keywordTriggerSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

describe('keyword trigger validation', () => {
  it('accepts a list as written and fills in any / contains', () => {
    expect(keywordTriggerSchema.parse({ keywords: ['预约', 'ＶＩＰ'] })).toEqual({ keywords: ['预约', 'ＶＩＰ'], mode: 'any', match: 'contains' });
  });

  it('names the keyword that is blank, too long, invisible or a duplicate after normalisation', () => {
    const long = '房'.repeat(keywordLimits.keywordMaxLength + 1);
    expect(issues({ keywords: ['预约', '　 ', long, 'a\u200Bb', 'vip', 'ＶＩＰ', '\uD83D'] })).toEqual([
      { path: 'keywords.1', message: 'keyword "　 " is empty (blank characters only)' },
      { path: 'keywords.2', message: `keyword "${long}" has 31 characters; the limit is 30` },
      { path: 'keywords.3', message: 'keyword "a\u200Bb" holds a control, invisible or broken character' },
      { path: 'keywords.5', message: 'keyword "ＶＩＰ" is the same as keywords.4 after normalisation (case, full-width, blanks at the ends)' },
      { path: 'keywords.6', message: 'keyword "\\ud83d" holds a control, invisible or broken character' },
    ]);
  });

  it('counts an emoji as one character: 30 emoji fit', () => {
    expect(issues({ keywords: ['😀'.repeat(30)] })).toEqual([]);
    expect(issues({ keywords: ['😀'.repeat(31)] })[0]?.path).toBe('keywords.0');
  });

  it('refuses an empty list, a list over the per-rule limit, a non-list and unknown modes, naming the field', () => {
    expect(issues({ keywords: [] })[0]?.path).toBe('keywords');
    expect(issues({ keywords: Array.from({ length: keywordLimits.keywordsPerRule + 1 }, (_, i) => `词${i}`) })[0]?.path).toBe('keywords');
    expect(issues({ keywords: '预约' })[0]?.path).toBe('keywords');
    expect(issues({ keywords: [42] })).toEqual([{ path: 'keywords.0', message: 'each keyword must be a string' }]);
    expect(issues({ keywords: ['a'], mode: 'some', match: 'regex' }).map((i) => i.path)).toEqual(['mode', 'match']);
    expect(issues({})[0]?.path).toBe('keywords');
  });

  it('refuses a huge string before normalising it', () => {
    expect(issues({ keywords: ['x'.repeat(1_000_000)] })).toEqual([{ path: 'keywords.0', message: 'keyword longer than 30 characters' }]);
  });
});

describe('the corp total', () => {
  it('allows up to the limit and refuses one more with limit_exceeded naming keywords', () => {
    expect(() => assertCorpKeywordTotal(keywordLimits.keywordsPerCorp - 10, 10)).not.toThrow();
    expect(() => assertCorpKeywordTotal(keywordLimits.keywordsPerCorp - 10, 11)).toThrowError(
      expect.objectContaining({ code: 'limit_exceeded', details: [expect.objectContaining({ path: 'keywords', limit: keywordLimits.keywordsPerCorp })] }),
    );
  });
});
