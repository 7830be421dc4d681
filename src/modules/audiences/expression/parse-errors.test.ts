import { describe, expect, it } from 'vitest';
import { AppError } from '../../../errors.js';
import { parseExpression } from './parse.js';
import { resolve } from './test-support.js';

function failure(text: string, opts = { resolve }): AppError {
  try {
    parseExpression(text, opts);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to parse`);
}

describe('parseExpression: errors point at the column', () => {
  it.each<[string, string, number]>([
    ['', 'expected a condition; the expression is empty', 1],
    ['tag:', "expected a value after 'tag:'", 5],
    ['(tag:购房意向 or tag:) and region:华东', "expected a value after 'tag:'", 18],
    ['(tag:#a or tag:#b', "expected ')' to close the '(' of column 1", 18],
    ['tag:#a)', "unexpected ')' without a matching '('", 7],
    ['tag:#a and', "expected a condition after 'and'", 11],
    ['tag:#a or or tag:#b', "expected a condition after 'or', found 'or'", 11],
    ['not', "expected a condition after 'not'", 4],
    ['tga:x', "unknown field 'tga' (did you mean 'tag'?)", 1],
    ['provnce:上海', "unknown field 'provnce' (did you mean 'province'?)", 1],
    ['购房意向 and tag:#a', "expected a condition such as tag:购房意向, found '购房意向'", 1],
    ['tag:#a tag:#b', "expected 'and' or 'or' before 'tag'", 8],
    ['tag:#a & tag:#b', "'&' is not an operator; write 'and' or '&&'", 8],
    ['（tag:#a）', "full-width '（': group with ASCII parentheses ( )", 1],
    ['tag:“看房”', 'curly quote \'“\': quote with straight quotes "…"', 5],
    ['tag:"unterminated', 'unterminated string: the " here is never closed', 5],
    ['tag:"bad \\q"', "unknown escape '\\q' in a string (use \\\" \\\\ \\n \\t or \\uXXXX)", 10],
    ['tag:看房子', "unknown tag '看房子'", 5],
    ['tag:A级', '\'A级\' names 2 tags; write it as "group/name" or by id', 5],
    ['group:etG1234567:some', "expected any, all or none after the group's ':'", 18],
    ['group:不存在:any', "unknown group '不存在'", 7],
    ['gender:robot', "unknown gender 'robot'; expected unknown, male, female or a number", 8],
    [
      'source:teleport',
      "unknown source 'teleport'; expected unknown, scan, search, card, group, contacts, wechat, service, email, channels, colleague, assigned or a number",
      8,
    ],
    ['dept:3++', "a department is its id, with + for its subtree (dept:3+), not '3++'", 6],
    ['added:within(30x)', "expected a duration such as 30d or 12h after 'within('", 14],
    ['added:2026-02-30..2026-03-01', "'2026-02-30' is not a calendar date", 7],
    ['added:', "expected within(30d) or dates such as 2026-01-01..2026-03-31 after 'added:'", 7],
    ['tag:#a and added:2026-03-01..2026-01-01', 'added: from is after to', 12],
    ['added:within(3651d)', 'added: at most 3650 days (87600 hours)', 1],
    ['company=x', "expected ':' (equals) or '~' (contains) after 'company'", 8],
    ['city in (上海, )', "expected a value after ','", 14],
    ['attr.level>=high', "'>=' compares numbers or dates, and 'high' is neither", 13],
    ['attr.level', "expected an operator after 'attr.level': = != > >= < <= ~ in between exists", 11],
    ['attr.level::float=1', "unknown attribute type 'float'; expected string, number, date, enum", 13],
    ['attr.level::number=abc', "expected a number for a number attribute, found 'abc'", 20],
    ['attr.x between 5..1', 'attr: from is after to', 1],
    ['event:link', 'event: an event type looks like link.clicked (lowercase, dotted)', 1],
    ['event:link.clicked(count>=two)', "expected a whole number after 'count>='", 27],
    ['event:link.clicked(target=a, target=b)', "'target' is given twice", 30],
    ['event:link.clicked(within=7d, at=2026-01-01..)', 'give within= or at=, not both', 31],
    ['event:link.clicked(foo=1)', 'expected an event option: target=, count>=, count<=, count=, within= or at=', 20],
    [`${'not '.repeat(13)}tag:#a`, 'nested deeper than 12 levels', 49],
    [`${'('.repeat(70)}tag:#a${')'.repeat(70)}`, 'nested more than 64 levels', 66],
    [`tag:#"${'长'.repeat(201)}"`, 'tag: longer than 200 characters', 1],
    [`city in (${Array.from({ length: 1001 }, (_, i) => `c${i}`).join(',')})`, 'city: more than 1000 values', 1],
  ])('%j', (text, message, column) => {
    const error = failure(text);
    expect(error.code).toBe('validation_failed');
    expect(error.message).toBe(`${message} at column ${column}`);
    expect(error.details?.[0]).toMatchObject({ line: 1, column, message: `${message} at column ${column}` });
  });

  it('draws a caret under the column, two cells per wide character', () => {
    const detail = failure('(tag:购房意向 or tag:) and region:华东').details?.[0];
    expect(detail?.excerpt).toBe(['(tag:购房意向 or tag:) and region:华东', `${' '.repeat(21)}^`].join('\n'));
  });

  it('counts lines and columns in a multi-line expression', () => {
    const error = failure('tag:#a and\n  tga:b');
    expect(error.message).toBe("unknown field 'tga' (did you mean 'tag'?) at line 2, column 3");
    expect(error.details?.[0]).toMatchObject({ line: 2, column: 3, excerpt: '  tga:b\n  ^' });
  });

  it('cuts a long line to a window around the column', () => {
    const text = `${'tag:#a and '.repeat(10)}tga:x and ${'tag:#b and '.repeat(10)}tag:#c`;
    const excerpt = String(failure(text).details?.[0]?.excerpt);
    const [line = '', caret = ''] = excerpt.split('\n');
    expect(line.startsWith('…') && line.endsWith('…')).toBe(true);
    expect(line.slice(caret.length - 1, caret.length + 4)).toBe('tga:x');
  });

  it('reports every unknown name at once', () => {
    const error = failure('tag:A级 or tag:不存在 or tag:看房');
    expect(error.message).toBe('\'A级\' names 2 tags; write it as "group/name" or by id at column 5 (and 1 more)');
    expect(error.details?.map((d) => d.column)).toEqual([5, 15]);
  });

  it('needs a resolver for names, and says how to write an id instead', () => {
    expect(failure('tag:看房', {} as { resolve: typeof resolve }).message).toBe('tag names cannot be looked up here; write the id as tag:#id at column 5');
  });

  it('puts the caller path on the details', () => {
    expect(failure('tag:', { resolve, path: 'body.text' } as { resolve: typeof resolve }).details?.[0]?.path).toBe('body.text');
  });
});
