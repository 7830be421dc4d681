import type { Expr } from '../contracts/audience-expression/ast.js';

/**
 * A small seeded generator (mulberry32) returning numbers in [0, 1): the same seed gives the same
 * expressions and the same synthetic corp on every machine, so two runs measure the same work.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The clock the expressions are evaluated at: after the seed's follow relations, so "within N days" windows select some of them. */
export const p1Now = new Date('2025-08-15T00:00:00+08:00');

/** One generated audience: its shape's name, the attribute kind it uses, and the expression. */
export type P1Expression = { shape: string; attribute: string; expr: Expr };

type Pick = <T>(items: readonly T[]) => T;

// One attribute leaf, over the values the P5 seed writes (empty provinces and cities are left out:
// they are the "has no value" case, not a value a marketer filters on).
const attributes: [string, (pick: Pick) => Expr][] = [
  ['province', (pick) => ({ province: pick([['上海'], ['北京', '广东'], ['浙江'], ['上海', '浙江']]) })],
  ['gender', (pick) => ({ gender: pick([[1], [2], [0]]) as (0 | 1 | 2)[] })],
  ['city', (pick) => ({ city: [pick(['上海', '北京', '广州', '杭州', '深圳'])] })],
  ['region', (pick) => ({ region: [pick(['华东', '华北', '华中'])] })],
  ['addedWithin', (pick) => ({ added: { within: { amount: pick([30, 90, 180]), unit: 'd' } } })],
  [
    'addedBetween',
    (pick) => {
      const month = pick([2, 3, 4, 5, 6]);
      return { added: { from: `2025-0${month}-01`, to: `2025-0${month + 1}-01` } };
    },
  ],
  ['addWay', (pick) => ({ addWay: [pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])] })],
];

// Five-term shapes: four tags (a, b, c, d) and one attribute (x). `design` is DESIGN.md's
// (A∨B)∧C∧¬D plus an attribute; `orNot` puts a NOT at the top, where it must be relative to
// the corp's customers rather than to every possible seq.
const shapes: [id: string, formula: string, build: (a: Expr, b: Expr, c: Expr, d: Expr, x: Expr) => Expr][] = [
  ['design', '(a∨b)∧c∧¬d∧x', (a, b, c, d, x) => ({ all: [{ any: [a, b] }, c, { not: d }, x] })],
  ['or3', '(a∨b∨c)∧¬d∧x', (a, b, c, d, x) => ({ all: [{ any: [a, b, c] }, { not: d }, x] })],
  ['andOr', 'a∧(b∨x)∧¬(c∨d)', (a, b, c, d, x) => ({ all: [a, { any: [b, x] }, { not: { any: [c, d] } }] })],
  ['orOfAnds', '(a∧¬b)∨(c∧x)∨d', (a, b, c, d, x) => ({ any: [{ all: [a, { not: b }] }, { all: [c, x] }, d] })],
  ['orNot', '(a∧b)∨¬(c∨d∨x)', (a, b, c, d, x) => ({ any: [{ all: [a, b] }, { not: { any: [c, d, x] } }] })],
];

/** Every shape's id and formula, in the order expressions cycle through them. */
export const p1Shapes = Object.fromEntries(shapes.map(([id, formula]) => [id, formula]));

/**
 * Tag ids `t0…t{tags-1}` of mixed popularity: a band is chosen evenly among the head (the 10 most
 * used tags), the torso (the next 190) and the long tail, then a tag within it. Under the seed's
 * Zipf curve that mixes tags on ~10% of the marks with tags on a few hundred customers.
 */
function pickTags(random: () => number, tags: number, n: number): string[] {
  const bands: [number, number][] = [
    [0, 10],
    [10, 200],
    [200, tags],
  ];
  const picked = new Set<number>();
  while (picked.size < n) {
    const [lo, hi] = bands[Math.floor(random() * bands.length)]!;
    picked.add(lo + Math.floor(random() * (Math.min(hi, tags) - lo)));
  }
  return [...picked].map((k) => `t${k}`);
}

/**
 * `n` five-term audiences (OR, AND, NOT over four tags plus one attribute), cycling through the
 * shapes (all, or those whose ids `only` lists) so any prefix of the list covers them evenly.
 * @example generateP1Expressions(200, 2000, 1)[0]!.expr // { all: [{ any: [{ tag: 't3' }, …] }, …] }
 */
export function generateP1Expressions(n: number, tags: number, seed: number, only?: readonly string[]): P1Expression[] {
  const unknown = only?.filter((id) => !(id in p1Shapes)) ?? [];
  if (unknown.length > 0 || only?.length === 0) throw new Error(`unknown P1 shapes ${unknown.join(', ')}; the shapes are ${Object.keys(p1Shapes).join(', ')}`);
  const chosen = only ? shapes.filter(([id]) => only.includes(id)) : shapes;
  const random = seededRandom(seed);
  const pick: Pick = (items) => items[Math.floor(random() * items.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const [shape, , build] = chosen[i % chosen.length]!;
    const [attribute, leaf] = pick(attributes);
    const [a, b, c, d] = pickTags(random, tags, 4).map((tag): Expr => ({ tag }));
    return { shape, attribute, expr: build(a!, b!, c!, d!, leaf(pick)) };
  });
}
