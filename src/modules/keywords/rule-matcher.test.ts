import { describe, expect, it } from 'vitest';
import { KeywordAutomaton } from './automaton.js';
import { foldText, normalizeKeyword } from './fold.js';
import { type KeywordRule, KeywordRuleMatcher } from './rule-matcher.js';

const rule = (id: string, keywords: string[], mode: KeywordRule['mode'] = 'any', match: KeywordRule['match'] = 'contains'): KeywordRule => ({
  id,
  keywords,
  mode,
  match,
});

describe('keyword normalisation', () => {
  it.each([
    ['ＶＩＰ客户', 'vip客户'],
    ['  预约看房　', '预约看房'],
    ['Ｈｅｌｌｏ，　Ｗｏｒｌｄ！', 'hello, world!'],
    ['ÀÉÎ ΑΒΓ АБВ', 'àéî αβγ абв'],
    ['ΟΔΟΣ οδος', 'οδοσ οδοσ'],
    ['看 房', '看 房'],
    ['😀Ｘ', '😀x'],
  ])('%s → %s', (raw, normalized) => expect(normalizeKeyword(raw)).toBe(normalized));

  it('trims a message of many blanks followed by a character without backtracking (a RegExp trim is quadratic there)', () => {
    const message = `${' '.repeat(200_000)}x${'　'.repeat(200_000)}`;
    expect(normalizeKeyword(message)).toBe('x');
    expect(KeywordRuleMatcher.build([rule('e', ['X'], 'any', 'exact')]).match(message)).toEqual([{ ruleId: 'e', keywords: ['X'] }]);
  });

  it('keeps every UTF-16 offset of a message, so positions point into the message as written', () => {
    for (const text of ['ＶＩＰ客户😀看房', 'İstanbul ß ẞ', '\uD83D lone']) expect(foldText(text).length).toBe(text.length);
  });
});

describe('the automaton', () => {
  it('reports the overlapping keywords the issue names: 产品手册 also yields 产品 and 手册, with positions', () => {
    const ac = KeywordAutomaton.build(['产品手册', '手册', '产品']);
    expect(ac.matches('请发产品手册给我')).toEqual([
      { pattern: 2, start: 2, end: 4 },
      { pattern: 0, start: 2, end: 6 },
      { pattern: 1, start: 4, end: 6 },
    ]);
  });

  it('matches a keyword with an emoji by its surrogate pair, never half of another emoji', () => {
    const ac = KeywordAutomaton.build(['😀好']);
    expect(ac.matches('😁好😀好')).toEqual([{ pattern: 0, start: 3, end: 6 }]);
  });

  it('refuses an empty pattern, which would match at every position', () => {
    expect(() => KeywordAutomaton.build(['a', ''])).toThrow(/empty pattern/);
  });
});

describe('the rule matcher', () => {
  const matcher = KeywordRuleMatcher.build([
    rule('viewing', ['预约', '看房'], 'all'),
    rule('price', ['报价单', '价格', 'VIP'], 'any'),
    rule('yes', ['好的', '可以'], 'any', 'exact'),
    rule('both-exact', ['好的', '好的 '], 'all', 'exact'),
  ]);

  it('any: one keyword suffices, and the result says which keywords, as the rule writes them', () => {
    expect(matcher.match('麻烦发下报价单和ｖｉｐ价格')).toEqual([{ ruleId: 'price', keywords: ['报价单', '价格', 'VIP'] }]);
  });

  it('all: every keyword of the rule, in any order; one missing is no match', () => {
    expect(matcher.match('看房的话周三可以预约吗')).toEqual([{ ruleId: 'viewing', keywords: ['预约', '看房'] }]);
    expect(matcher.match('周三可以预约吗')).toEqual([]);
  });

  it('exact: the whole message after normalisation, not a part of it', () => {
    expect(matcher.match(' 好的　')).toEqual([
      { ruleId: 'yes', keywords: ['好的'] },
      { ruleId: 'both-exact', keywords: ['好的'] },
    ]);
    expect(matcher.match('好的，周三见')).toEqual([]);
  });

  it('counts a keyword repeated in the message once, and keywords equal after normalisation as one', () => {
    const m = KeywordRuleMatcher.build([rule('r', ['vip', 'ＶＩＰ', '会员'], 'all')]);
    expect(m.match('VIP vip 会员')).toEqual([{ ruleId: 'r', keywords: ['vip', '会员'] }]);
  });

  it('answers each message on its own: nothing carries over from the previous one', () => {
    const m = KeywordRuleMatcher.build([rule('r', ['预约', '看房'], 'all')]);
    expect(m.match('预约')).toEqual([]);
    expect(m.match('看房')).toEqual([]);
    expect(m.match('预约看房')).toHaveLength(1);
  });

  it('lists every occurrence of the contains keywords with its position, for evidence', () => {
    expect(matcher.occurrences('预约看房，要报价单')).toEqual([
      { keyword: '预约', start: 0, end: 2 },
      { keyword: '看房', start: 2, end: 4 },
      { keyword: '报价单', start: 6, end: 9 },
    ]);
  });

  it('works with no rules, no contains rules, and an empty message', () => {
    expect(KeywordRuleMatcher.build([]).match('预约')).toEqual([]);
    expect(KeywordRuleMatcher.build([rule('e', ['好'], 'any', 'exact')]).match('好')).toEqual([{ ruleId: 'e', keywords: ['好'] }]);
    expect(matcher.match('')).toEqual([]);
  });
});
