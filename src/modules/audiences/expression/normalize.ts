import { type Expr, type Leaf, type LeafKind, leafKinds } from '../../../../contracts/audience-expression/ast.js';

/** JSON with object keys sorted: equal expressions give equal keys whatever their key order. */
export function canonicalKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalKey(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const compare = (a: string | number, b: string | number) =>
  typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
const zero = <T>(v: T): T => (Object.is(v, -0) ? (0 as T) : v);

// Sorted and deduplicated: a list is a set, and its order must not change the canonical text.
function set<T>(values: readonly T[], key: (v: T) => string | number = (v) => v as string | number): T[] {
  const seen = new Map<string, T>();
  for (const v of values) seen.set(String(key(v)) + typeof key(v), v);
  return [...seen.values()].sort((a, b) => compare(key(a), key(b)));
}

function normalizeLeaf(leaf: Leaf): Leaf {
  if ('addWay' in leaf) return { addWay: set(leaf.addWay) };
  if ('gender' in leaf) return { gender: set(leaf.gender) };
  if ('state' in leaf) return { state: set(leaf.state) };
  if ('province' in leaf) return { province: set(leaf.province) };
  if ('city' in leaf) return { city: set(leaf.city) };
  if ('region' in leaf) return { region: set(leaf.region) };
  if ('follower' in leaf) return { follower: set(leaf.follower) };
  if ('department' in leaf) return { department: set(leaf.department, (d) => d.id * 2 + (d.subtree ? 1 : 0)) };
  if ('attr' in leaf) {
    const a = leaf.attr;
    if (a.op === 'in') return { attr: { ...a, values: set(a.values.map(zero)) } };
    if (a.op === 'between') return { attr: { ...a, from: zero(a.from), to: zero(a.to) } };
    if (a.op === 'exists') return { attr: { ...a } };
    return { attr: { ...a, value: zero(a.value) } };
  }
  if ('event' in leaf) {
    // `count >= 1` is the default, so it is dropped: with and without it is one expression.
    const { count, ...rest } = leaf.event;
    return { event: count && !(count.op === 'gte' && count.n === 1) ? { ...rest, count } : rest };
  }
  return structuredClone(leaf);
}

// Siblings sort by kind (leaves in schema order, then negations, then groups), then by content,
// so `tag:a and region:华东 and not tag:x and (…)` reads from the simple to the nested.
function rank(e: Expr): number {
  if ('all' in e || 'any' in e) return 200;
  if ('not' in e) return 100 + rank(e.not) / 1000;
  return leafKinds.indexOf(Object.keys(e)[0] as LeafKind);
}

/**
 * The canonical form of an expression, with the same meaning: nested `all`/`any` flattened, single
 * children unwrapped, double negation removed, identical siblings merged, siblings and list values
 * sorted, defaults dropped. Two equal expressions normalize (and so print) identically.
 * @example normalize({ all: [{ tag: 'b' }, { all: [{ tag: 'a' }, { not: { not: { tag: 'b' } } }] }] })
 * // → { all: [{ tag: 'a' }, { tag: 'b' }] }
 */
export function normalize(e: Expr): Expr {
  if ('not' in e) {
    const inner = normalize(e.not);
    return 'not' in inner ? inner.not : { not: inner };
  }
  if ('all' in e || 'any' in e) {
    const kind = 'all' in e ? 'all' : 'any';
    const children = ('all' in e ? e.all : e.any).map(normalize);
    const flat = children.flatMap((c) => (kind === 'all' && 'all' in c ? c.all : kind === 'any' && 'any' in c ? c.any : [c]));
    const unique = new Map(flat.map((c) => [canonicalKey(c), c] as const));
    const sorted = [...unique.entries()].sort(([ka, a], [kb, b]) => rank(a) - rank(b) || (ka < kb ? -1 : ka > kb ? 1 : 0)).map(([, c]) => c);
    if (sorted.length === 1) return sorted[0] as Expr;
    return kind === 'all' ? { all: sorted } : { any: sorted };
  }
  return normalizeLeaf(e);
}
