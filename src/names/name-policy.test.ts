import { describe, expect, it } from 'vitest';
import { checkName, checkText } from './check-name.js';
import { findNameIssue, keyIgnorables, nameKey, nameLength, normalizeName } from './name-policy.js';

const issueOf = (raw: string, max = 16) => findNameIssue(normalizeName(raw), { max });

describe('the name policy (issue 12 §6)', () => {
  it.each([
    ['客户等级', 4],
    ['👨‍👩‍👧‍👦', 1],
    ['👨‍👩‍👧', 1],
    ['🇨🇳', 1],
    ['🏴󠁧󠁢󠁥󠁮󠁧󠁿', 1],
    ['❤️VIP', 4],
    ['cafe\u0301', 4],
    ['1️⃣号', 2],
    ['\u3000客户等级\u200b ', 4],
  ])('counts %j as %i characters, as a person does', (raw, length) => {
    expect(nameLength(normalizeName(raw))).toBe(length);
  });

  it('counts the common scripts without the segmenter exactly as the segmenter does', () => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const ranges = [
      [0x20, 0x7e],
      [0x3000, 0x303f],
      [0x3400, 0x4dbf],
      [0x4e00, 0x9fff],
      [0xff01, 0xff5e],
    ] as const;
    const all = ranges.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => String.fromCodePoint(a + i))).join('');
    expect(nameLength(all)).toBe([...segmenter.segment(all)].length);
    expect(nameLength('客户\u302A')).toBe(2);
  });

  it('sixteen family emoji fit the default limit of 16; seventeen do not', () => {
    expect(issueOf('👨‍👩‍👧‍👦'.repeat(16))).toBeUndefined();
    expect(issueOf('👨‍👩‍👧‍👦'.repeat(17))).toEqual({ kind: 'too_long', length: 17, max: 16 });
  });

  it('stores NFC without blank or invisible ends', () => {
    expect(normalizeName('cafe\u0301')).toBe('café');
    expect(normalizeName('\uFEFF VIP\u200b\u3000')).toBe('VIP');
    expect(normalizeName('客户等级\u200b')).toBe('客户等级');
    expect(normalizeName('❤️')).toBe('❤️');
  });

  it.each([
    ['café', 'cafe\u0301'],
    ['VIP', 'VIP\u200b'],
    ['VIP', 'ＶＩＰ'],
    ['VIP', 'vip'],
    ['客户等级', '客户等级\u200b'],
    ['VIP客户', 'V\u200bIP\u2060客户'],
    ['A级 客户', 'A级\u3000客户'],
    ['A级 客户', 'A级  客户'],
    ['❤️', '❤'],
    ['1号', '①号'],
  ])('%j and %j look the same, so they have one key', (a, b) => {
    expect(nameKey(normalizeName(a))).toBe(nameKey(normalizeName(b)));
  });

  it.each([
    ['👨‍👩‍👧', '👨👩👧'],
    ['🏴󠁧󠁢󠁥󠁮󠁧󠁿', '🏴󠁧󠁢󠁳󠁣󠁴󠁿'],
    ['华东', '華東'],
    ['A级', 'B级'],
    ['VIP客户', 'VIP 客户'],
  ])('%j and %j look different, so their keys differ', (a, b) => {
    expect(nameKey(normalizeName(a))).not.toBe(nameKey(normalizeName(b)));
  });

  it.each(['', ' ', '\u3000\u3000', '\u200b', '\u200b\u200c\u2060\uFEFF', '\u3164', '\u2800', '\u00AD', '\u0301', '\uFE0F'])('%j is blank', (raw) => {
    expect(issueOf(raw)).toEqual({ kind: 'blank' });
  });

  it.each([
    ['VIP\u200bGold', 4, 'U+200B'],
    ['a\u0000b', 2, 'U+0000'],
    ['a\nb', 2, 'U+000A'],
    ['a\u2028b', 2, 'U+2028'],
    ['abc\u202Egpj.exe', 4, 'U+202E'],
    ['\u2066abc\u2069x', 4, 'U+2069'],
    ['客户\u00ADA', 3, 'U+00AD'],
    ['客\u3164户', 2, 'U+3164'],
    ['a\u200Db', 1, 'U+200D'],
    ['客户\u{E0041}', 2, 'U+E0041'],
    ['\uD83D客户', 1, 'U+D83D'],
    ['客户\uDC68', 3, 'U+DC68'],
    ['客户\uFFFD', 3, 'U+FFFD'],
    ['客户\uFFFE', 3, 'U+FFFE'],
  ])('%j is refused: a character at %i that no name may hold (%s)', (raw, position, label) => {
    const issue = issueOf(raw);
    expect(issue?.kind).toBe('character');
    if (issue?.kind !== 'character') return;
    expect(issue.problem.position).toBe(position);
    expect(`U+${issue.problem.char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).toBe(label);
  });

  it('keeps what emoji and scripts need: ZWJ inside a sequence or a conjunct, variation selectors, flag tags, skin tones', () => {
    for (const name of ['👩🏽‍💻', '👨‍👩‍👧‍👦', '❤️', '🏴󠁧󠁢󠁥󠁮󠁧󠁿', '👍🏽', 'क्‍ष', '1️⃣', '𠮷野家']) expect(issueOf(name), name).toBeUndefined();
  });

  it('drops for the key exactly the default-ignorable characters other than ZWJ and the tag characters', () => {
    const listed = (cp: number) => keyIgnorables.some(([a, b]) => cp >= a && cp <= b);
    for (let cp = 0; cp <= 0xe0fff; cp += 1) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const expected = /\p{Default_Ignorable_Code_Point}/u.test(String.fromCodePoint(cp)) && cp !== 0x200d && !(cp >= 0xe0020 && cp <= 0xe007f);
      if (listed(cp) !== expected) expect.fail(`U+${cp.toString(16)}: listed ${listed(cp)}, expected ${expected}`);
    }
  });
});

describe('checkName and checkText', () => {
  const rules = { what: 'department name', path: 'body.name', max: 8 };

  it('returns the name to store', () => {
    expect(checkName(' 华东\u200b', rules)).toBe('华东');
  });

  it('answers each refusal with its code, path and a message that says what is wrong', () => {
    expect(() => checkName('\u200b\u3000', rules)).toThrowError(
      expect.objectContaining({
        code: 'validation_failed',
        message: 'The department name is blank: it has only spaces or invisible characters.',
        details: [{ path: 'body.name', message: 'blank' }],
      }),
    );
    expect(() => checkName('华东\u202E区', rules)).toThrowError(
      expect.objectContaining({ code: 'validation_failed', details: [expect.objectContaining({ path: 'body.name', character: 'U+202E', position: 3 })] }),
    );
    expect(() => checkName('一二三四五六七八九', rules)).toThrowError(
      expect.objectContaining({ code: 'validation_failed', message: 'The department name has 9 characters; the limit is 8.' }),
    );
    const tagCodes = { ...rules, codes: { blank: 'name_missing', tooLong: 'name_too_long' } } as const;
    expect(() => checkName(' ', tagCodes)).toThrowError(expect.objectContaining({ code: 'name_missing' }));
    expect(() => checkName('一二三四五六七八九', tagCodes)).toThrowError(expect.objectContaining({ code: 'name_too_long' }));
  });

  it('lets a remark be emptied but not made blank or invisible', () => {
    const remark = { what: 'remark', path: 'remark', max: 20, allowEmpty: true };
    expect(checkName('', remark)).toBe('');
    for (const blank of ['  ', '\u200b', '\u3164', '\u3000\uFEFF'])
      expect(() => checkName(blank, remark), JSON.stringify(blank)).toThrowError(
        expect.objectContaining({ message: 'The remark is blank: it has only spaces or invisible characters.' }),
      );
    expect(() => checkName('老\u0007王', remark)).toThrowError(expect.objectContaining({ code: 'validation_failed' }));
    expect(checkName(' 老王 ', remark)).toBe('老王');
  });

  it('lets a description hold line breaks but no control or invisible characters', () => {
    const description = { what: 'tag description', path: 'description', max: 200 };
    expect(checkText(' 第一行\r\n第二行\t(备注) ', description)).toBe('第一行\n第二行\t(备注)');
    expect(checkText('', description)).toBe('');
    expect(checkText(undefined, description)).toBeUndefined();
    expect(() => checkText('第一行\u0000', description)).toThrowError(expect.objectContaining({ code: 'validation_failed' }));
    expect(() => checkText('见\u202E附件', description)).toThrowError(expect.objectContaining({ code: 'validation_failed' }));
  });
});
