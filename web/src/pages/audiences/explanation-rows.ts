import type { ExplanationNode } from '../../../../contracts/audiences.js';

/** One line of a displayed explanation: a clause at its depth, held or not, and whether it decided the answer. */
export type ExplanationRow = { key: string; depth: number; kind: ExplanationNode['kind']; clause: string; held: boolean; reason?: string; decisive: boolean };

/**
 * The explanation tree as indented rows, parents before children. A clause is decisive when its
 * parent is and its outcome agrees with the parent's (every child of a NOT is), so the rows that
 * made the customer in or out can stand out and the rest can be dimmed.
 * @example explanationRows({ path: '', kind: 'all', clause: 'a and b', held: false, children: [a✓, b✗] }).map((r) => r.decisive) // → [true, false, true]
 */
export function explanationRows(node: ExplanationNode, depth = 0, decisive = true): ExplanationRow[] {
  const row: ExplanationRow = {
    key: node.path === '' ? 'root' : node.path,
    depth,
    kind: node.kind,
    clause: node.clause,
    held: node.held,
    reason: node.reason,
    decisive,
  };
  const children = (node.children ?? []).flatMap((child) => explanationRows(child, depth + 1, decisive && (node.kind === 'not' || child.held === node.held)));
  return [row, ...children];
}

/** A server reason recognised as a known shape: its i18n key under `reason.` and the values to put in. */
export type ReasonParts = { key: string; values: Record<string, string> };

// The server writes reasons in English (src/modules/audiences/expression/match.ts); each shape it
// uses maps to a key so the console can say it in the user's language. Order matters: specific first.
const shapes: [RegExp, string, string[]][] = [
  [/^carried by (.+)$/, 'carriedBy', ['who']],
  [/^no relation carries it$/, 'noCarrier', []],
  [/^the customer has it$/, 'customerHas', []],
  [/^no follow relations$/, 'noFollows', []],
  [/^no relation matches: (.+)$/, 'noRelationMatches', ['list']],
  [/^relation (.+)$/, 'relation', ['list']],
  [/^(province|city|region|company) is empty$/, 'fieldEmpty', ['field']],
  [/^(province|city|region|company|gender) is (.+)$/, 'fieldIs', ['field', 'value']],
  [/^has all (\d+) tags$/, 'hasAll', ['n']],
  [/^has none of its (\d+) tags$/, 'hasNone', ['n']],
  [/^has (.+)$/, 'has', ['list']],
  [/^lacks (.+)$/, 'lacks', ['list']],
  [/^(\d+) matching events?; needs (≥|≤|=) (\d+)$/, 'events', ['n', 'op', 'needed']],
  [/^member of (.+), joined outside the window$/, 'chatOutsideWindow', ['list']],
  [/^member of (.+)$/, 'chatMember', ['list']],
  [/^not a member$/, 'notChatMember', []],
  [/^in no group chat$/, 'noChat', []],
  [/^(.+) is not set$/, 'attrUnset', ['name']],
  [/^(.+) is (.+), not a (.+)$/, 'attrMistyped', ['name', 'value', 'type']],
  [/^(.+?) is (.+)$/, 'attrIs', ['name', 'value']],
];

/**
 * Reads a leaf's reason as one of the shapes the server writes, so it can be translated; an
 * unknown shape is undefined and is shown as the server wrote it.
 * @example reasonParts('carried by d1u1, d1u2') // → { key: 'carriedBy', values: { who: 'd1u1, d1u2' } }
 */
export function reasonParts(reason: string): ReasonParts | undefined {
  for (const [pattern, key, names] of shapes) {
    const match = pattern.exec(reason);
    if (match) return { key, values: Object.fromEntries(names.map((name, i) => [name, match[i + 1]!])) };
  }
  return undefined;
}

/**
 * The server names employees by userid in its reasons ("carried by d6u3"); a person knows them by
 * name. Replaces each userid the console knows with the name, leaving everything else as it is.
 * @example withEmployeeNames('d6u3 (follows), d1u1 (follows)', new Map([['d6u3', '李超']])) // → '李超 (follows), d1u1 (follows)'
 */
export function withEmployeeNames(text: string, names: ReadonlyMap<string, string>): string {
  return text.replace(/[\w.@-]+/g, (word) => names.get(word) ?? word);
}
