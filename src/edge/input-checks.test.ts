import { describe, expect, it } from 'vitest';
import { decodeUtf8Marked, inputProblems, maxInputDepth, rawQueryProblems, textProblem } from './input-checks.js';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('textProblem', () => {
  it.each([
    ['购买意向', undefined],
    ['emoji 😀 and U+FFFD sent on purpose: \uFFFD', undefined],
    ['a\u0000b', 'contains a NUL character (U+0000)'],
    ['lone high \uD800', 'is not valid Unicode text (invalid UTF-8 or a lone surrogate)'],
    ['lone low \uDC00 here', 'is not valid Unicode text (invalid UTF-8 or a lone surrogate)'],
    ['reversed pair \uDE00\uD83D', 'is not valid Unicode text (invalid UTF-8 or a lone surrogate)'],
  ])('%j → %s', (text, problem) => {
    expect(textProblem(text)).toBe(problem);
  });
});

describe('decodeUtf8Marked', () => {
  it('decodes UTF-8 as usual, U+FFFD in the input included', () => {
    expect(decodeUtf8Marked(bytes('名字 😀 \uFFFD'))).toBe('名字 😀 \uFFFD');
  });

  it.each([
    ['a stray continuation byte', bytes('a', [0x80], 'b')],
    ['0xFF', bytes('a', [0xff, 0xfe], 'b')],
    ['an overlong NUL (C0 80)', bytes('a', [0xc0, 0x80], 'b')],
    ['a surrogate encoded in UTF-8 (ED A0 80)', bytes('a', [0xed, 0xa0, 0x80], 'b')],
    ['a truncated sequence at the end', bytes('a', [0xe4, 0xb8])],
    ['a code point beyond U+10FFFF (F4 90 80 80)', bytes('a', [0xf4, 0x90, 0x80, 0x80])],
  ])('marks %s so textProblem finds it', (_label, input) => {
    const text = decodeUtf8Marked(input);
    expect(text.startsWith('a')).toBe(true);
    expect(text).not.toContain('\uFFFD');
    expect(textProblem(text)).toMatch(/not valid Unicode text/);
  });
});

describe('inputProblems', () => {
  it('names the path of each bad string and key, and passes clean input', () => {
    expect(inputProblems('body', { name: '高意向', tags: [{ name: 'ok' }], n: 1, flag: null })).toEqual([]);
    expect(inputProblems('body', { name: 'a\u0000', tags: [{ name: 'ok' }, { name: 'x\uD800' }], 'k\u0000ey': 1 })).toEqual([
      { path: 'body.name', code: 'invalid_text', message: 'contains a NUL character (U+0000)' },
      { path: 'body.tags.1.name', code: 'invalid_text', message: 'is not valid Unicode text (invalid UTF-8 or a lone surrogate)' },
      { path: 'body.k\\u0000ey', code: 'invalid_text', message: 'the field name contains a NUL character (U+0000)' },
    ]);
  });

  it('names bad strings inside long arrays by index, in document order, and stops listing at 100', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `wm${i}`);
    ids[7] = 'a\u0000';
    ids[99_999] = 'b\uDC00';
    expect(inputProblems('body', { selection: { externalUserids: ids }, n: [1, null, true, ['x\u0000']] })).toEqual([
      { path: 'body.selection.externalUserids.7', code: 'invalid_text', message: 'contains a NUL character (U+0000)' },
      { path: 'body.selection.externalUserids.99999', code: 'invalid_text', message: 'is not valid Unicode text (invalid UTF-8 or a lone surrogate)' },
      { path: 'body.n.3.0', code: 'invalid_text', message: 'contains a NUL character (U+0000)' },
    ]);
    expect(
      inputProblems(
        'body',
        Array.from({ length: 500 }, () => '\u0000'),
      ),
    ).toHaveLength(100);
  });

  it('refuses nesting past the limit without recursing (100,000 levels)', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    const problems = inputProblems('body', deep);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'too_deep', message: `nested more than ${maxInputDepth} levels` });
    let ok: unknown = 'leaf';
    for (let i = 0; i < maxInputDepth; i += 1) ok = { a: ok };
    expect(inputProblems('body', ok)).toEqual([]);
  });
});

describe('rawQueryProblems', () => {
  it('finds parameters whose percent-escapes are not UTF-8, by name', () => {
    expect(rawQueryProblems('/x?name=%E5%90%8D&plus=a+b&bad=%zz')).toEqual([]);
    expect(rawQueryProblems('/x?ok=1&userid=a%FFb&s=%ED%A0%80&k%FE=1')).toEqual([
      { path: 'query.userid', code: 'invalid_text', message: 'is not valid UTF-8' },
      { path: 'query.s', code: 'invalid_text', message: 'is not valid UTF-8' },
      { path: 'query.k\\udfff', code: 'invalid_text', message: 'the parameter name is not valid UTF-8' },
    ]);
    expect(rawQueryProblems('/x')).toEqual([]);
  });
});
