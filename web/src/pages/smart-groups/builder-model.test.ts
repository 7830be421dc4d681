import { describe, expect, it } from 'vitest';
import { normalize } from '../../../../src/modules/audiences/expression/normalize.js';
import {
  addChild,
  type BuilderGroup,
  type BuilderNode,
  compileTree,
  type Expr,
  emptyRoot,
  type Leaf,
  type LeafKind,
  leafKinds,
  leafNode,
  libraryLabels,
  libraryResolver,
  newLeaf,
  removeNode,
  textOfTree,
  treeOf,
  treeOfText,
  updateNode,
} from './builder-model.js';

const library = [
  {
    groupId: 'etGroupLevel01',
    name: '客户等级',
    tags: [
      { tagId: 'etLevelA00001', name: 'A级' },
      { tagId: 'etLevelB00001', name: 'B级' },
    ],
  },
  {
    groupId: 'etGroupIntent1',
    name: '购买意向',
    tags: [
      { tagId: 'etIntentBuy01', name: '购房意向' },
      { tagId: 'etIntentSee01', name: '看房' },
      { tagId: 'etIntentA0001', name: 'A级' },
    ],
  },
];
const chats = [
  { chatId: 'wrMarch000001', name: '3月活动群' },
  { chatId: 'wrOldA0000001', name: '老客户群' },
  { chatId: 'wrOldB0000001', name: '老客户群' },
  { chatId: 'wrNoName00001', name: '' },
];
const resolve = libraryResolver(library, chats);
const labels = libraryLabels(library, chats);

/** One example of every condition type of the audience language, some with several shapes. */
const leaves: Record<LeafKind, Leaf[]> = {
  tag: [{ tag: 'etIntentBuy01' }],
  group: [{ group: { id: 'etGroupLevel01', has: 'any' } }, { group: { id: 'etGroupIntent1', has: 'all' } }, { group: { id: 'etGroupLevel01', has: 'none' } }],
  addWay: [{ addWay: [1] }, { addWay: [1, 202, 7] }],
  state: [{ state: ['2026春季展会'] }, { state: ['a b', 'c'] }],
  added: [
    { added: { within: { amount: 30, unit: 'd' } } },
    { added: { from: '2026-01-01', to: '2026-03-31' } },
    { added: { from: '2026-01-01' } },
    { added: { within: { amount: 12, unit: 'h' } } },
  ],
  province: [{ province: ['上海'] }],
  city: [{ city: ['杭州', '苏州'] }],
  region: [{ region: ['华东'] }],
  gender: [{ gender: [2] }, { gender: [0, 1] }],
  company: [{ company: { op: 'contains', value: '科技' } }, { company: { op: 'eq', value: '上海某某有限公司' } }],
  follower: [{ follower: ['d3u1'] }],
  department: [
    { department: [{ id: 3, subtree: true }] },
    {
      department: [
        { id: 2, subtree: false },
        { id: 4, subtree: true },
      ],
    },
  ],
  attr: [
    { attr: { name: 'level', type: 'number', op: 'gte', value: 3 } },
    { attr: { name: 'tier', type: 'enum', op: 'in', values: ['gold', 'silver'] } },
    { attr: { name: 'birthday', type: 'date', op: 'between', from: '2026-01-01', to: '2026-02-01' } },
    { attr: { name: 'note', type: 'string', op: 'contains', value: 'vip' } },
    { attr: { name: 'email', type: 'string', op: 'exists' } },
  ],
  event: [
    { event: { type: 'link.clicked' } },
    { event: { type: 'link.clicked', target: '楼盘A', count: { op: 'gte', n: 2 }, window: { within: { amount: 7, unit: 'd' } } } },
    { event: { type: 'live.attended', count: { op: 'eq', n: 0 }, window: { from: '2026-03-01', to: '2026-03-31' } } },
  ],
  groupChat: [
    { groupChat: {} },
    { groupChat: { id: 'wrMarch000001', window: { within: { amount: 3, unit: 'd' } } } },
    { groupChat: { id: 'wrOldA0000001' } },
    { groupChat: { window: { from: '2026-03-01', to: '2026-03-31' } } },
    { groupChat: { id: 'wrNoName00001', window: { from: '2026-03-02', to: '2026-03-02' } } },
  ],
};
const everyLeaf = Object.values(leaves).flat();

/** Builder tree → expression → text → builder tree → expression, compared in normal form. */
function roundTrip(e: Expr) {
  const tree = treeOf(e);
  const compiled = compileTree(tree);
  expect(compiled.issues).toEqual([]);
  expect(normalize(compiled.expr!)).toEqual(normalize(e));
  const text = textOfTree(tree, labels);
  const back = treeOfText(text, resolve);
  if ('error' in back) throw new Error(`${text}: ${back.error.message}`);
  expect(normalize(compileTree(back.tree).expr!)).toEqual(normalize(e));
  return text;
}

describe('builder model: AST ↔ builder tree ↔ text', () => {
  it('covers every condition type of the audience language', () => {
    expect(Object.keys(leaves).sort()).toEqual([...leafKinds].sort());
  });

  it.each(everyLeaf.map((leaf) => [JSON.stringify(leaf), leaf] as const))('round-trips the condition %s alone and negated', (_, leaf) => {
    roundTrip(leaf);
    roundTrip({ not: leaf });
  });

  it('round-trips nested AND / OR / NOT of every condition type, with names printed', () => {
    const e: Expr = {
      all: [
        { any: everyLeaf.slice(0, 6) },
        { not: { any: [everyLeaf[6]!, { all: everyLeaf.slice(7, 12) }] } },
        { any: [{ not: { all: everyLeaf.slice(12, 16) } }, ...everyLeaf.slice(16)] },
      ],
    };
    const text = roundTrip(e);
    expect(text).toContain('tag:购房意向');
    expect(text).toContain('group:客户等级:any');
    expect(text).toContain('not (');
  });

  it('prints an ambiguous tag name with its group, and reads it back to the right tag', () => {
    const text = roundTrip({ any: [{ tag: 'etLevelA00001' }, { tag: 'etIntentA0001' }] });
    expect(text).toBe('tag:购买意向/A级 or tag:客户等级/A级');
  });

  it('round-trips group chat conditions: any chat, a chat by name, an ambiguous or nameless chat by id, with join windows', () => {
    const text = roundTrip({
      all: [
        { groupChat: { id: 'wrMarch000001', window: { within: { amount: 3, unit: 'd' } } } },
        { event: { type: 'moment.liked', count: { op: 'gte', n: 2 } } },
      ],
    });
    expect(text).toBe('groupchat:3月活动群(within=3d) and event:moment.liked(count>=2)');
    expect(roundTrip({ groupChat: { id: 'wrOldA0000001' } })).toBe('groupchat:wrOldA0000001');
    expect(roundTrip({ not: { groupChat: { window: { from: '2026-03-01' } } } })).toBe('not groupchat:*(at=2026-03-01..)');
    const read = treeOfText('groupchat:3月活动群(at=2026-03-02) or groupchat:*', resolve);
    if ('error' in read) throw new Error(read.error.message);
    expect(read.tree).toMatchObject({
      op: 'any',
      children: [{ leaf: { groupChat: { id: 'wrMarch000001', window: { from: '2026-03-02', to: '2026-03-02' } } } }, { leaf: { groupChat: {} } }],
    });
    const ambiguous = treeOfText('groupchat:老客户群', resolve);
    expect('error' in ambiguous && ambiguous.error).toMatchObject({ line: 1, column: 11 });
    expect('error' in ambiguous && ambiguous.error.message).toMatch(/names 2 group chats/);
    const short = treeOfText('groupchat:wrShort', libraryResolver(library, [...chats, { chatId: 'wrShort', name: '' }]));
    expect('tree' in short && short.tree.children[0]).toMatchObject({ leaf: { groupChat: { id: 'wrShort' } } });
    const unknown = treeOfText('groupchat:没有的群', resolve);
    expect('error' in unknown && unknown.error.message).toMatch(/unknown group chat '没有的群'/);
  });

  it('keeps NOT as a flag: a negated group, a negated condition, and double negation cancelled', () => {
    const tree = treeOf({ not: { any: [{ tag: 'etIntentBuy01' }, { not: { not: { not: { region: ['华东'] } } } }] } });
    const group = tree.children[0] as BuilderGroup;
    expect(group).toMatchObject({ kind: 'group', op: 'any', negated: true });
    expect(group.children[1]).toMatchObject({ kind: 'leaf', negated: true, leaf: { region: ['华东'] } });
  });

  it('reads text in the user’s order (names resolved) and reports where text does not parse', () => {
    const read = treeOfText('tag:看房 and (region:华东 or not gender:female)', resolve);
    if ('error' in read) throw new Error(read.error.message);
    expect(read.tree.op).toBe('all');
    expect(read.tree.children[0]).toMatchObject({ kind: 'leaf', leaf: { tag: 'etIntentSee01' } });
    expect(read.tree.children[1]).toMatchObject({ kind: 'group', op: 'any' });
    const bad = treeOfText('tag:看房 and tga:x', resolve);
    expect('error' in bad && bad.error).toMatchObject({ line: 1, column: 12 });
    const unknown = treeOfText('tag:没有这个标签', resolve);
    expect('error' in unknown && unknown.error.message).toMatch(/unknown tag '没有这个标签'/);
    const ambiguous = treeOfText('tag:A级', resolve);
    expect('error' in ambiguous && ambiguous.error.message).toMatch(/names 2 tags/);
  });

  it('edits: add, change and remove conditions; empty groups are left out; unfinished ones are issues', () => {
    let tree = emptyRoot();
    expect(compileTree(tree)).toEqual({ issues: [] });
    expect(textOfTree(tree)).toBe('');
    const or: BuilderNode = { id: 'or1', kind: 'group', op: 'any', negated: false, children: [] };
    tree = addChild(tree, tree.id, or);
    expect(compileTree(tree)).toEqual({ issues: [] });
    const tag = leafNode(newLeaf('tag'));
    tree = addChild(tree, 'or1', tag);
    expect(compileTree(tree).issues).toHaveLength(1);
    expect(compileTree(tree).issues[0]!.nodeId).toBe(tag.id);
    tree = updateNode(tree, tag.id, (n) => ({ ...n, leaf: { tag: 'etIntentSee01' } }) as BuilderNode);
    tree = addChild(tree, 'or1', leafNode(newLeaf('added')));
    expect(textOfTree(tree, labels)).toBe('tag:看房 or added:within(30d)');
    tree = updateNode(tree, 'or1', (n) => ({ ...n, negated: true }));
    expect(textOfTree(tree, labels)).toBe('not (tag:看房 or added:within(30d))');
    tree = removeNode(tree, tag.id);
    expect(textOfTree(tree, labels)).toBe('not added:within(30d)');
    expect(removeNode(tree, tree.id)).toBe(tree);
  });

  it('starts every condition type with values the editor can show, finished where no choice is needed', () => {
    for (const kind of leafKinds) {
      const leaf = newLeaf(kind);
      expect(Object.keys(leaf)).toEqual([kind]);
      const needsInput = ['tag', 'group', 'state', 'province', 'city', 'region', 'follower', 'attr'].includes(kind);
      const root = emptyRoot();
      const issues = compileTree(addChild(root, root.id, leafNode(leaf))).issues;
      expect(issues.length > 0, kind).toBe(needsInput);
    }
  });
});
