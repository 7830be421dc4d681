import { describe, expect, it } from 'vitest';
import { csvCell, csvRecord } from './audit.csv.js';

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['客户标签', '客户标签'],
    ['a,b', '"a,b"'],
    ['说 "你好"', '"说 ""你好"""'],
    ['第一行\n第二行', '"第一行\n第二行"'],
    ['cr\r\nlf', '"cr\r\nlf"'],
    // Formula starts are defused with an apostrophe, then quoted as usual.
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['a=b', 'a=b'],
  ])('%j → %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('ends each record with CRLF', () => {
    expect(csvRecord(['1', 'a,b', '好'])).toBe('1,"a,b",好\r\n');
  });
});
