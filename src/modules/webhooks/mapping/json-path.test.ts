import { describe, expect, it } from 'vitest';
import { JsonPathError, parseJsonPath, readJsonPath } from './json-path.js';

describe('parseJsonPath', () => {
  it.each([
    ['$', []],
    ['$.a', [{ key: 'a' }]],
    ['$.a.b[0].c', [{ key: 'a' }, { key: 'b' }, { index: 0 }, { key: 'c' }]],
    ["$['sku id']", [{ key: 'sku id' }]],
    ['$["客户"][12]', [{ key: '客户' }, { index: 12 }]],
    ["$['it\\'s']", [{ key: "it's" }]],
    ['$.order_id.x-y.$z', [{ key: 'order_id' }, { key: 'x-y' }, { key: '$z' }]],
    ['$[0][1]', [{ index: 0 }, { index: 1 }]],
  ])('%s parses', (text, steps) => {
    expect(parseJsonPath(text)).toEqual(steps);
  });

  it.each([
    ['', "starts with '$'"],
    ['a.b', "starts with '$'"],
    ['$.', "name after '.'"],
    ['$..a', "name after '.'"],
    ['$.1a', "name after '.'"],
    ['$[', 'index or a quoted key'],
    ['$[01]', 'leading zeros'],
    ['$[-1]', 'index or a quoted key'],
    ['$[1', "expected ']'"],
    ["$['a", 'unclosed quote'],
    ["$['']", 'empty key'],
    ['$[*]', 'index or a quoted key'],
    ['$.a b', "unexpected ' '"],
    ['$[9999999999]', 'too large'],
    [`$${'.a'.repeat(33)}`, 'more than 32 steps'],
    [`$.${'a'.repeat(300)}`, 'longer than 256'],
  ])('%j is refused (%s)', (text, message) => {
    expect(() => parseJsonPath(text)).toThrow(JsonPathError);
    expect(() => parseJsonPath(text)).toThrow(message);
  });
});

describe('readJsonPath', () => {
  const data = { order: { id: 'o1', items: [{ sku: 'A', qty: 2 }], 'sku id': 7, nil: null }, list: [1, 2] };
  it.each([
    ['$.order.id', 'o1'],
    ['$.order.items[0].qty', 2],
    ["$.order['sku id']", 7],
    ['$.order.nil', null],
    ['$.list[1]', 2],
    ['$.order.items[1]', undefined],
    ['$.order.missing.deeper', undefined],
    ['$.list.length', undefined],
    ['$.order[0]', undefined],
    ['$.constructor', undefined],
    ['$.order.__proto__', undefined],
  ])('%s → %j', (path, value) => {
    expect(readJsonPath(data, parseJsonPath(path))).toEqual(value);
  });
});
