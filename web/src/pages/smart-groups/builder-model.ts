import { type Expr, type Leaf, type LeafKind, leafKinds } from '../../../../contracts/audience-expression/ast.js';
import { canonicalKey, normalize } from '../../../../src/modules/audiences/expression/normalize.js';
import { type NameResolver, parseExpression } from '../../../../src/modules/audiences/expression/parse.js';
import { type PrintOptions, printExpression } from '../../../../src/modules/audiences/expression/print.js';
import { checkExpression } from '../../../../src/modules/audiences/expression/validate.js';

export type { Expr, Leaf, LeafKind } from '../../../../contracts/audience-expression/ast.js';
export { leafKinds };

/**
 * A node of the condition builder: an AND / OR group of children or one condition, either of them
 * possibly negated (NOT). `id` keys the node in React; it carries no meaning for the audience.
 */
export type BuilderNode = BuilderGroup | BuilderLeaf;
/** An AND (`all`) or OR (`any`) group; negated, it reads NOT (…). */
export type BuilderGroup = { id: string; kind: 'group'; op: 'all' | 'any'; negated: boolean; children: BuilderNode[] };
/** One condition of the audience language, as its AST leaf (possibly unfinished while edited). */
export type BuilderLeaf = { id: string; kind: 'leaf'; negated: boolean; leaf: Leaf };

let nextId = 0;
/** A fresh node id, unique within the page's lifetime. */
export function newId(): string {
  nextId += 1;
  return `n${nextId}`;
}

/** An empty AND group: the builder's root before any condition is added. */
export function emptyRoot(): BuilderGroup {
  return { id: newId(), kind: 'group', op: 'all', negated: false, children: [] };
}

/**
 * A condition of `kind` with starting values, as the builder adds it: values a user is likely to
 * want (30 days, female, link.clicked) where one exists, empty where only they can say (a tag).
 */
export function newLeaf(kind: LeafKind): Leaf {
  switch (kind) {
    case 'tag':
      return { tag: '' };
    case 'group':
      return { group: { id: '', has: 'any' } };
    case 'addWay':
      return { addWay: [1] };
    case 'added':
      return { added: { within: { amount: 30, unit: 'd' } } };
    case 'gender':
      return { gender: [2] };
    case 'company':
      return { company: { op: 'contains', value: '' } };
    case 'department':
      return { department: [{ id: 1, subtree: true }] };
    case 'attr':
      return { attr: { name: '', type: 'string', op: 'eq', value: '' } };
    case 'event':
      return { event: { type: 'link.clicked' } };
    case 'groupChat':
      return { groupChat: {} };
    default:
      return { [kind]: [] } as unknown as Leaf;
  }
}

/** A builder node holding `leaf`, not negated. */
export function leafNode(leaf: Leaf): BuilderLeaf {
  return { id: newId(), kind: 'leaf', negated: false, leaf };
}

/** The kind of a leaf (`tag`, `addWay`, `event`…). */
export function leafKindOf(leaf: Leaf): LeafKind {
  return Object.keys(leaf)[0] as LeafKind;
}

function nodeOf(e: Expr, negated: boolean): BuilderNode {
  if ('not' in e) return nodeOf(e.not, !negated);
  if ('all' in e) return { id: newId(), kind: 'group', op: 'all', negated, children: e.all.map((c) => nodeOf(c, false)) };
  if ('any' in e) return { id: newId(), kind: 'group', op: 'any', negated, children: e.any.map((c) => nodeOf(c, false)) };
  return { id: newId(), kind: 'leaf', negated, leaf: e };
}

/**
 * The builder tree of an expression. The root is always a group (a lone condition or a NOT sits
 * inside an AND group) so the builder always has somewhere to add the next condition.
 */
export function treeOf(e: Expr): BuilderGroup {
  const node = nodeOf(e, false);
  if (node.kind === 'group' && !node.negated) return node;
  return { id: newId(), kind: 'group', op: 'all', negated: false, children: [node] };
}

const negate = (e: Expr, negated: boolean): Expr => (negated ? { not: e } : e);

function exprOfNode(node: BuilderNode): Expr | undefined {
  if (node.kind === 'leaf') return negate(node.leaf, node.negated);
  const children = node.children.map(exprOfNode).filter((c): c is Expr => c !== undefined);
  if (children.length === 0) return undefined;
  const inner: Expr = children.length === 1 ? (children[0] as Expr) : node.op === 'all' ? { all: children } : { any: children };
  return negate(inner, node.negated);
}

/** Where an unfinished or invalid condition is and what is wrong with it. */
export type BuilderIssue = { nodeId?: string; message: string };

/**
 * The expression the builder tree stands for, checked by the server's own rules: groups with no
 * conditions are left out; an empty tree gives no expression and no issue; problems name the node.
 */
export function compileTree(root: BuilderGroup): { expr?: Expr; issues: BuilderIssue[] } {
  const issues: BuilderIssue[] = [];
  const visit = (node: BuilderNode) => {
    if (node.kind === 'group') return node.children.forEach(visit);
    const checked = checkExpression(node.leaf);
    for (const issue of checked.issues) issues.push({ nodeId: node.id, message: `${[...issue.path].join('.')}: ${issue.message}` });
  };
  visit(root);
  const expr = exprOfNode(root);
  if (!expr || issues.length > 0) return { issues };
  const whole = checkExpression(expr);
  if (whole.issues.length > 0) return { issues: whole.issues.map((i) => ({ message: `${[...i.path].join('.')}: ${i.message}` })) };
  return { expr: whole.expr, issues: [] };
}

/** The canonical text of the builder's expression ('' while it has none), names printed by `labels`. */
export function textOfTree(root: BuilderGroup, labels: PrintOptions = {}): string {
  const { expr } = compileTree(root);
  return expr ? printExpression(expr, labels) : '';
}

/** A text that does not parse: the server-side parser's message with its line and column. */
export type TextError = { message: string; line?: number; column?: number };

/**
 * Reads text into a builder tree with the same parser the server uses (names resolved by
 * `resolve` from the tag library). On an error the caller keeps its builder as it was and shows
 * the message with its position.
 */
export function treeOfText(text: string, resolve: NameResolver): { tree: BuilderGroup } | { error: TextError } {
  if (text.trim() === '') return { tree: emptyRoot() };
  try {
    return { tree: treeOf(parseExpression(text, { resolve })) };
  } catch (e) {
    const detail = (e as { details?: { message: string; line?: number; column?: number }[] }).details?.[0];
    return { error: { message: detail?.message ?? (e instanceof Error ? e.message : String(e)), line: detail?.line, column: detail?.column } };
  }
}

/** A key equal for equal audiences (after normalizing), e.g. for the live count's query key. */
export function audienceKey(e: Expr): string {
  return canonicalKey(normalize(e));
}

/** Replaces the node `id` by what `change` makes of it, anywhere in the tree; returns a new tree. */
export function updateNode(root: BuilderGroup, id: string, change: (node: BuilderNode) => BuilderNode | null): BuilderGroup {
  const walk = (node: BuilderNode): BuilderNode | null => {
    if (node.id === id) return change(node);
    if (node.kind === 'leaf') return node;
    return { ...node, children: node.children.map(walk).filter((c): c is BuilderNode => c !== null) };
  };
  return (walk(root) as BuilderGroup | null) ?? emptyRoot();
}

/** Appends `child` to the group `groupId`. */
export function addChild(root: BuilderGroup, groupId: string, child: BuilderNode): BuilderGroup {
  return updateNode(root, groupId, (node) => (node.kind === 'group' ? { ...node, children: [...node.children, child] } : node));
}

/** Removes the node `id` (never the root). */
export function removeNode(root: BuilderGroup, id: string): BuilderGroup {
  return id === root.id ? root : updateNode(root, id, () => null);
}

/** A group chat as the builder offers it. */
export type ChatChoice = { chatId: string; name: string };

/**
 * Tag, group and group chat names → ids for the text box, from the tag library and the chat list
 * as the console has them. A chat id is taken as written (the list may be partial); the server
 * checks it.
 */
export function libraryResolver(
  groups: readonly { groupId: string; name: string; tags: readonly { tagId: string; name: string }[] }[],
  chats: readonly ChatChoice[] = [],
): NameResolver {
  const fold = (s: string) => s.normalize('NFKC').toLowerCase();
  return {
    chat: (ref) => {
      if ('id' in ref) return [ref.id];
      const named = chats.filter((c) => c.name !== '' && fold(c.name) === fold(ref.name)).map((c) => c.chatId);
      // A short chat id written bare reads as a name; with no chat of that name it is the id.
      return named.length === 0 && chats.some((c) => c.chatId === ref.name) ? [ref.name] : named;
    },
    tag: (ref) =>
      groups
        .filter((g) => ref.group === undefined || fold(g.name) === fold(ref.group))
        .flatMap((g) => g.tags.filter((t) => fold(t.name) === fold(ref.name)).map((t) => t.tagId)),
    group: (name) => groups.filter((g) => fold(g.name) === fold(name)).map((g) => g.groupId),
  };
}

/**
 * Ids → names for printing, from the same library: `tag:"客户等级/A级"` where a name is ambiguous;
 * a chat by name when exactly one listed chat has it, otherwise by id.
 */
export function libraryLabels(
  groups: readonly { groupId: string; name: string; tags: readonly { tagId: string; name: string }[] }[],
  chats: readonly ChatChoice[] = [],
): PrintOptions {
  const tagNames = new Map<string, string>();
  const seen = new Map<string, number>();
  for (const g of groups) for (const t of g.tags) seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
  for (const g of groups) for (const t of g.tags) tagNames.set(t.tagId, (seen.get(t.name) ?? 0) > 1 ? `${g.name}/${t.name}` : t.name);
  const groupNames = new Map(groups.map((g) => [g.groupId, g.name]));
  const fold = (s: string) => s.normalize('NFKC').toLowerCase();
  const chatNames = new Map<string, number>();
  for (const c of chats) chatNames.set(fold(c.name), (chatNames.get(fold(c.name)) ?? 0) + 1);
  const chatLabels = new Map(chats.filter((c) => c.name !== '' && chatNames.get(fold(c.name)) === 1).map((c) => [c.chatId, c.name]));
  return { tagLabel: (id) => tagNames.get(id), groupLabel: (id) => groupNames.get(id), chatLabel: (id) => chatLabels.get(id) };
}
