import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import { AppError } from '../../../errors.js';
import { evaluate } from './evaluate.js';
import { explain, formatExplanation } from './explain.js';
import { customerFacts } from './facts.js';
import { type NameResolver, parseExpression } from './parse.js';
import { printExpression } from './print.js';
import { resolve, testNow, wang } from './test-support.js';
import { checkExpression } from './validate.js';

// The corp's chats as a caller's resolver knows them; 老客户群 exists twice.
const chats: [id: string, name: string][] = [
  ['wrMar0000001', '3月活动群'],
  ['wrOld0000001', '老客户群'],
  ['wrOld0000002', '老客户群'],
  ['odd chat', '奇怪的群'],
];
const withChats: NameResolver = {
  ...resolve,
  chat: (ref) => ('id' in ref ? chats.filter(([id]) => id === ref.id) : chats.filter(([, name]) => name === ref.name)).map(([id]) => id),
};
const chatLabel = (id: string) => chats.find(([c]) => c === id)?.[1];
const parse = (text: string) => parseExpression(text, { resolve: withChats });

function failure(text: string, opts: { resolve?: NameResolver } = { resolve: withChats }): AppError {
  try {
    parseExpression(text, opts);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to parse`);
}

// 王女士 in two chats: 3月活动群 since 2026-03-02, 老客户群 since 2025-11-20.
const inChats = customerFacts({
  ...wang,
  chats: [
    { chatId: 'wrMar0000001', name: '3月活动群', joinTime: new Date('2026-03-02T10:00:00+08:00') },
    { chatId: 'wrOld0000001', name: '老客户群', joinTime: new Date('2025-11-20T09:30:00+08:00') },
  ],
});

describe('groupchat: text syntax', () => {
  it.each<[string, Expr]>([
    ['groupchat:*', { groupChat: {} }],
    ['GROUPCHAT:wrMar0000001', { groupChat: { id: 'wrMar0000001' } }],
    ['groupchat:3月活动群', { groupChat: { id: 'wrMar0000001' } }],
    ['groupchat:"3月活动群"', { groupChat: { id: 'wrMar0000001' } }],
    ['groupchat:#"odd chat"', { groupChat: { id: 'odd chat' } }],
    ['groupchat:*(within=3d)', { groupChat: { window: { within: { amount: 3, unit: 'd' } } } }],
    ['groupchat:wrMar0000001(WITHIN=12h)', { groupChat: { id: 'wrMar0000001', window: { within: { amount: 12, unit: 'h' } } } }],
    ['groupchat:*(at=2026-03-01..2026-03-31)', { groupChat: { window: { from: '2026-03-01', to: '2026-03-31' } } }],
    ['groupchat:3月活动群(at=2026-03-02)', { groupChat: { id: 'wrMar0000001', window: { from: '2026-03-02', to: '2026-03-02' } } }],
    ['groupchat:*(at=..2026-03-31)', { groupChat: { window: { to: '2026-03-31' } } }],
    [
      'groupchat:*(within=3d) and event:moment.liked(count>=2)',
      { all: [{ groupChat: { window: { within: { amount: 3, unit: 'd' } } } }, { event: { type: 'moment.liked', count: { op: 'gte', n: 2 } } }] },
    ],
  ])('parses %s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it('takes chat ids without a resolver (the pure parser), as it takes tag ids', () => {
    expect(parseExpression('groupchat:wrAnything01 or groupchat:#x')).toEqual({ any: [{ groupChat: { id: 'wrAnything01' } }, { groupChat: { id: 'x' } }] });
  });

  it.each<[Expr, string, string]>([
    [{ groupChat: {} }, 'groupchat:*', 'groupchat:*'],
    [
      { groupChat: { id: 'wrMar0000001', window: { within: { amount: 3, unit: 'd' } } } },
      'groupchat:wrMar0000001(within=3d)',
      'groupchat:3月活动群(within=3d)',
    ],
    [{ groupChat: { id: 'odd chat', window: { from: '2026-03-01' } } }, 'groupchat:#"odd chat"(at=2026-03-01..)', 'groupchat:奇怪的群(at=2026-03-01..)'],
    [{ groupChat: { id: '*' } }, 'groupchat:#*', 'groupchat:#*'],
  ])('prints %j as %s, and with names as %s', (expr, text, named) => {
    expect(printExpression(expr)).toBe(text);
    expect(printExpression(expr, { chatLabel })).toBe(named);
    expect(parseExpression(text)).toEqual(expr);
    if (named !== text) expect(parse(named)).toEqual(expr);
  });

  it('quotes a chat name that would read back as an id or as any chat', () => {
    const label = (id: string) => ({ wrA: 'wrLooksLikeAnId1', wrB: '*', wrC: 'a b' })[id];
    expect(printExpression({ any: [{ groupChat: { id: 'wrA' } }, { groupChat: { id: 'wrB' } }, { groupChat: { id: 'wrC' } }] }, { chatLabel: label })).toBe(
      'groupchat:"wrLooksLikeAnId1" or groupchat:"*" or groupchat:"a b"',
    );
  });
});

describe('groupchat: errors name the position', () => {
  it.each<[string, string, number]>([
    ['tag:#a and groupchat:wrNope000001', "unknown group chat 'wrNope000001'", 22],
    ['groupchat:#nope', "unknown group chat 'nope'", 12],
    ['groupchat:没有的群(within=3d)', "unknown group chat '没有的群'", 11],
    ['groupchat:老客户群', "'老客户群' names 2 group chats; write it by id", 11],
    ['groupchat:*(count>=2)', 'expected a join-time option: within= or at=', 13],
    ['groupchat:*(within=3d, at=2026-03-01)', 'give one join-time option: within= or at=', 22],
    ['groupchat:*(within=3x)', "expected a duration such as 30d or 12h after 'within='", 20],
    ['groupchat', "expected ':' after 'groupchat'", 10],
    ['groupchat:*(at=2026-04-01..2026-03-01)', 'groupchat: from is after to', 1],
    ['groupchta:*', "unknown field 'groupchta' (did you mean 'groupchat'?)", 1],
  ])('%s → %s at column %i', (text, message, column) => {
    const e = failure(text);
    expect(e.code).toBe('validation_failed');
    expect(e.details?.[0]).toMatchObject({ message: `${message} at column ${column}`, column });
  });

  it('refuses a chat name when nothing can look it up', () => {
    expect(failure('groupchat:3月活动群', {}).details?.[0]).toMatchObject({
      message: 'group chat names cannot be looked up here; write the id as groupchat:#id at column 11',
      column: 11,
    });
  });

  it('validates the AST: an empty id and unknown keys are refused at their path', () => {
    expect(checkExpression({ all: [{ groupChat: { id: '' } }] }).issues).toEqual([{ path: ['all', 0, 'groupChat', 'id'], message: 'empty' }]);
    expect(checkExpression({ groupChat: { chat: 'x' } }).issues[0]?.path).toEqual(['groupChat']);
    expect(checkExpression({ groupChat: { window: { within: { amount: 0, unit: 'd' } } } }).issues[0]?.path).toEqual([
      'groupChat',
      'window',
      'within',
      'amount',
    ]);
  });
});

describe('groupchat: meaning and explanation', () => {
  it.each<[string, boolean]>([
    ['groupchat:*', true],
    ['groupchat:3月活动群', true],
    ['groupchat:wrOld0000002', false],
    ['groupchat:*(within=30d)', true],
    ['groupchat:3月活动群(within=3d)', false],
    ['groupchat:wrOld0000001(at=2025-11-20)', true],
    ['groupchat:*(at=2026-03-03..)', false],
    ['groupchat:*(within=30d) and event:link.clicked(count>=2)', true],
  ])('%s holds: %s', (text, held) => {
    expect(evaluate(parse(text), inChats)).toBe(held);
    expect(evaluate(parse(text), wang)).toBe(false);
  });

  it.each<[string, string]>([
    ['groupchat:3月活动群', '✓ groupchat:3月活动群 — member of 3月活动群 since 03-02 10:00'],
    ['groupchat:*', '✓ groupchat:* — member of 3月活动群 since 03-02 10:00, 老客户群 since 2025-11-20 09:30'],
    ['groupchat:3月活动群(within=3d)', '✗ groupchat:3月活动群(within=3d) — member of 3月活动群 since 03-02 10:00, joined outside the window'],
    ['groupchat:wrOld0000002', '✗ groupchat:老客户群 — not a member'],
  ])('explains %s', (text, line) => {
    expect(formatExplanation(explain(parse(text), inChats, { chatLabel }))).toBe(line);
  });

  it('says "in no group chat" of a customer in none', () => {
    expect(formatExplanation(explain(parse('groupchat:*'), wang))).toBe('✗ groupchat:* — in no group chat');
  });

  it('evaluates in the corp zone: a date window is the whole local day', () => {
    const late = customerFacts({ now: testNow, chats: [{ chatId: 'wrMar0000001', joinTime: new Date('2026-03-03T01:00:00+08:00') }] });
    expect(evaluate(parse('groupchat:*(at=2026-03-02)'), late)).toBe(false);
    expect(evaluate(parse('groupchat:*(at=2026-03-02)'), { ...late, utcOffsetMinutes: 0 })).toBe(true);
  });
});
