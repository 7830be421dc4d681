import { foldTable } from './fold.js';

/**
 * Called for each occurrence of a pattern: its index in the build list and its UTF-16 range in
 * the text (`start` inclusive, `end` exclusive, so `text.slice(start, end)` is the occurrence).
 */
export type OnMatch = (pattern: number, start: number, end: number) => void;

/** One occurrence, as `KeywordAutomaton.matches` returns it. */
export type KeywordMatch = { pattern: number; start: number; end: number };

const goldenGamma = 0x9e3779b1;

/**
 * An Aho–Corasick automaton over UTF-16 code units, with the keyword fold of `fold.ts` applied to
 * patterns and text alike. It reports every occurrence, overlapping ones included ("产品手册" also
 * yields "产品" and "手册"), in order of their end.
 *
 * Layout, for speed without a dense states × alphabet table (5,000 Chinese keywords use some
 * 2,000 distinct hanzi, which would make that table hundreds of MB): code units map to a compact
 * alphabet through one 65,536-entry table that already includes the fold; the root's transitions
 * are a dense row (most steps of a scan start there); every other transition lives in one
 * open-addressing hash table of typed arrays. Failure links make the scan linear, and
 * dictionary-suffix links reach every pattern ending at a position without walking failures.
 * Nothing is allocated per character.
 * @example
 * const ac = KeywordAutomaton.build(['产品', '产品手册', '手册']);
 * ac.matches('看看产品手册').map((m) => m.pattern) // [0, 1, 2]
 */
export class KeywordAutomaton {
  /** The patterns as built (folded), by index. */
  readonly patterns: readonly string[];
  /** How many states the trie has (the root included). */
  readonly stateCount: number;
  private readonly symbolOf: Uint16Array;
  private readonly rootNext: Int32Array;
  private readonly slotState: Int32Array;
  private readonly slotSymbol: Int32Array;
  private readonly slotNext: Int32Array;
  private readonly mask: number;
  private readonly fail: Int32Array;
  /** The nearest proper suffix state that ends a pattern (0 when none: the root ends none). */
  private readonly dictLink: Int32Array;
  /** The first pattern ending at a state, or -1; further equal patterns chain by `samePattern`. */
  private readonly endsHere: Int32Array;
  private readonly samePattern: Int32Array;
  private readonly patternLength: Int32Array;

  private constructor(patterns: readonly string[]) {
    this.patterns = patterns;
    const fold = foldTable();
    // The compact alphabet: every folded code unit a pattern uses gets a symbol from 1; 0 is "in no pattern".
    const foldedSymbol = new Uint16Array(65536);
    let alphabet = 0;
    let maxStates = 1;
    for (const p of patterns) {
      if (p.length === 0) throw new Error('KeywordAutomaton.build: an empty pattern would match everywhere; normalise and validate keywords first.');
      maxStates += p.length;
      for (let i = 0; i < p.length; i++) {
        const f = fold[p.charCodeAt(i)]!;
        if (foldedSymbol[f] === 0) foldedSymbol[f] = ++alphabet;
      }
    }
    if (alphabet > 65535) throw new Error('KeywordAutomaton.build: alphabet overflow');
    this.symbolOf = new Uint16Array(65536);
    for (let c = 0; c < 65536; c++) this.symbolOf[c] = foldedSymbol[fold[c]!]!;

    this.rootNext = new Int32Array(alphabet + 1);
    let capacity = 16;
    while (capacity < maxStates * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.slotState = new Int32Array(capacity).fill(-1);
    this.slotSymbol = new Int32Array(capacity);
    this.slotNext = new Int32Array(capacity);
    this.endsHere = new Int32Array(maxStates).fill(-1);
    this.samePattern = new Int32Array(patterns.length).fill(-1);
    this.patternLength = new Int32Array(patterns.length);
    // Children lists, for the breadth-first pass that sets failure links.
    const firstChild = new Int32Array(maxStates).fill(-1);
    const nextSibling = new Int32Array(maxStates).fill(-1);
    const symbolIn = new Int32Array(maxStates);

    let states = 1;
    patterns.forEach((p, index) => {
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const sym = this.symbolOf[p.charCodeAt(i)]!;
        let next = this.step(s, sym);
        if (next <= 0) {
          next = states++;
          symbolIn[next] = sym;
          nextSibling[next] = firstChild[s]!;
          firstChild[s] = next;
          if (s === 0) this.rootNext[sym] = next;
          else this.insert(s, sym, next);
        }
        s = next;
      }
      this.patternLength[index] = p.length;
      // Keep equal patterns in build order: append to the chain.
      if (this.endsHere[s] === -1) this.endsHere[s] = index;
      else {
        let last = this.endsHere[s]!;
        while (this.samePattern[last] !== -1) last = this.samePattern[last]!;
        this.samePattern[last] = index;
      }
    });
    this.stateCount = states;

    this.fail = new Int32Array(states);
    this.dictLink = new Int32Array(states);
    const queue = new Int32Array(states);
    let head = 0;
    let tail = 0;
    for (let c = firstChild[0]!; c !== -1; c = nextSibling[c]!) queue[tail++] = c;
    while (head < tail) {
      const r = queue[head++]!;
      for (let c = firstChild[r]!; c !== -1; c = nextSibling[c]!) {
        const sym = symbolIn[c]!;
        let f = this.fail[r]!;
        let target = this.step(f, sym);
        while (target < 0) {
          f = this.fail[f]!;
          target = this.step(f, sym);
        }
        this.fail[c] = target;
        this.dictLink[c] = this.endsHere[target] !== -1 ? target : this.dictLink[target]!;
        queue[tail++] = c;
      }
    }
  }

  /**
   * Builds the automaton for these patterns (compared after the keyword fold). Duplicates are
   * allowed and each is reported under its own index; an empty pattern is a programming error.
   */
  static build(patterns: readonly string[]): KeywordAutomaton {
    return new KeywordAutomaton(patterns);
  }

  /** The goto of one state: the next state, -1 when there is none; from the root, 0 means "stay". */
  private step(s: number, sym: number): number {
    if (s === 0) return this.rootNext[sym]!;
    const { slotState, slotSymbol, mask } = this;
    let h = (Math.imul(s, goldenGamma) ^ Math.imul(sym, 0x85ebca6b)) & mask;
    for (;;) {
      const at = slotState[h]!;
      if (at === -1) return -1;
      if (at === s && slotSymbol[h] === sym) return this.slotNext[h]!;
      h = (h + 1) & mask;
    }
  }

  private insert(s: number, sym: number, next: number): void {
    let h = (Math.imul(s, goldenGamma) ^ Math.imul(sym, 0x85ebca6b)) & this.mask;
    while (this.slotState[h] !== -1) h = (h + 1) & this.mask;
    this.slotState[h] = s;
    this.slotSymbol[h] = sym;
    this.slotNext[h] = next;
  }

  /** Calls `onMatch` for every occurrence of every pattern in `text`, ordered by end. */
  forEachMatch(text: string, onMatch: OnMatch): void {
    const { symbolOf, rootNext, slotState, slotSymbol, slotNext, mask, fail, dictLink, endsHere, samePattern, patternLength } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const sym = symbolOf[text.charCodeAt(i)]!;
      if (sym === 0) {
        s = 0;
        continue;
      }
      // Follow failure links until a state has a transition on sym (the root always "has" one).
      for (;;) {
        if (s === 0) {
          s = rootNext[sym]!;
          break;
        }
        let h = (Math.imul(s, goldenGamma) ^ Math.imul(sym, 0x85ebca6b)) & mask;
        let next = -1;
        for (;;) {
          const at = slotState[h]!;
          if (at === -1) break;
          if (at === s && slotSymbol[h] === sym) {
            next = slotNext[h]!;
            break;
          }
          h = (h + 1) & mask;
        }
        if (next !== -1) {
          s = next;
          break;
        }
        s = fail[s]!;
      }
      let out = endsHere[s] !== -1 ? s : dictLink[s]!;
      while (out !== 0) {
        for (let p = endsHere[out]!; p !== -1; p = samePattern[p]!) onMatch(p, i + 1 - patternLength[p]!, i + 1);
        out = dictLink[out]!;
      }
    }
  }

  /** How many occurrences `text` holds, overlaps and duplicate patterns counted. */
  countMatches(text: string): number {
    let n = 0;
    this.forEachMatch(text, () => {
      n++;
    });
    return n;
  }

  /** Every occurrence in `text`, ordered by end (then by longer pattern first). */
  matches(text: string): KeywordMatch[] {
    const found: KeywordMatch[] = [];
    this.forEachMatch(text, (pattern, start, end) => found.push({ pattern, start, end }));
    return found;
  }
}
