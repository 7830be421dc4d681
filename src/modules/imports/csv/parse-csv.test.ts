import { describe, expect, it } from 'vitest';
import { AppError } from '../../../errors.js';
import { decodeCsv, findNulCharacters } from './decode.js';
import { CsvSyntaxError, parseCsv } from './parse-csv.js';

/** 客户 in GBK, as Excel in China saves it. */
const gbkKehu = [0xbf, 0xcd, 0xbb, 0xa7];

describe('parseCsv', () => {
  it.each([
    [
      'a,b\r\n1,2\r\n',
      [
        [1, ['a', 'b']],
        [2, ['1', '2']],
      ],
    ],
    [
      'a,b\n1,2',
      [
        [1, ['a', 'b']],
        [2, ['1', '2']],
      ],
    ],
    [
      'a,b\r1,2\r',
      [
        [1, ['a', 'b']],
        [2, ['1', '2']],
      ],
    ],
    ['"x, y","say ""hi"""\n', [[1, ['x, y', 'say "hi"']]]],
    [
      '"two\r\nlines",z\nnext,row',
      [
        [1, ['two\r\nlines', 'z']],
        [3, ['next', 'row']],
      ],
    ],
    [
      'a,,\n\n\n,b,',
      [
        [1, ['a', '', '']],
        [4, ['', 'b', '']],
      ],
    ],
    [
      '""\n"",""',
      [
        [1, ['']],
        [2, ['', '']],
      ],
    ],
    [
      '客户,标签\n张三,VIP',
      [
        [1, ['客户', '标签']],
        [2, ['张三', 'VIP']],
      ],
    ],
  ])('parses %j', (text, expected) => {
    expect(parseCsv(text).map((r) => [r.line, r.cells])).toEqual(expected);
  });

  it.each([
    ['a,b\n1,"open\n2,3\n', 2, 3, /never closed/],
    ['a,b\n1,"x"y\n', 2, 6, /after a closing quote/],
    ['a,b\nab"c,1\n', 2, 3, /quote inside an unquoted field/],
    ['a\n"multi\nline" x\n', 3, 6, /after a closing quote/],
  ])('reports malformed %j at its line and column', (text, line, column, message) => {
    let error: unknown;
    try {
      parseCsv(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect(error).toMatchObject({ line, column });
    expect((error as Error).message).toMatch(message);
  });
});

describe('decodeCsv', () => {
  const utf8 = new TextEncoder().encode('name,tags\n客户,VIP\n');
  it('reads UTF-8 with and without a BOM, and GBK', () => {
    expect(decodeCsv(utf8)).toEqual({ text: 'name,tags\n客户,VIP\n', encoding: 'utf-8' });
    expect(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toEqual({ text: 'name,tags\n客户,VIP\n', encoding: 'utf-8-bom' });
    const gbk = new Uint8Array([...Buffer.from('name\n'), ...gbkKehu, 0x0a]);
    expect(decodeCsv(gbk)).toEqual({ text: 'name\n客户\n', encoding: 'gbk' });
  });

  it('refuses UTF-16 and bytes that are neither UTF-8 nor GBK', () => {
    for (const bytes of [new Uint8Array([0xff, 0xfe, 0x41, 0x00]), new Uint8Array([0x61, 0xff, 0xff, 0x62]), new Uint8Array([0x81, 0x20])]) {
      expect(() => decodeCsv(bytes)).toThrow(AppError);
    }
    expect(() => decodeCsv(new Uint8Array([0x61, 0xff, 0xff]))).toThrow(/not UTF-8 or GBK/);
  });
});

describe('bad characters in an import file', () => {
  it('points at the first byte that is neither UTF-8 nor GBK, by line and character column', () => {
    const bytes = new Uint8Array([...Buffer.from('name,userid\r\n张三,u1\r\nab'), 0xff, 0xff, ...Buffer.from(',u2\r\n')]);
    let error: unknown;
    try {
      decodeCsv(bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details).toEqual([{ path: 'line 3, column 3', message: 'not UTF-8 or GBK', line: 3, column: 3 }]);
  });

  it('finds NUL characters by line and column, counting line breaks as parseCsv does', () => {
    expect(findNulCharacters('a,b\r\nc\u0000,d\re\n\u0000')).toEqual([
      { line: 2, column: 2 },
      { line: 4, column: 1 },
    ]);
    expect(findNulCharacters('clean,text\n')).toEqual([]);
  });
});
