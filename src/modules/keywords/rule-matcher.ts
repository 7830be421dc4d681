import { KeywordAutomaton } from './automaton.js';
import { normalizeKeyword } from './fold.js';

/**
 * The keyword part of one rule, as the rule engine hands it over. `contains`: a keyword anywhere
 * in the message; `exact`: the whole message equals the keyword (both normalised, see fold.ts).
 * `any`: one keyword suffices; `all`: every keyword of the rule must be there.
 */
export type KeywordRule = {
  id: string;
  keywords: readonly string[];
  mode: 'any' | 'all';
  match: 'contains' | 'exact';
};

/** A rule one message satisfies, and by which of its keywords (as the rule writes them, in its order). */
export type RuleMatch = { ruleId: string; keywords: string[] };

/** One occurrence of a `contains` keyword (normalised) at a UTF-16 range of the message. */
export type KeywordOccurrence = { keyword: string; start: number; end: number };

type CompiledRule = { id: string; all: boolean; exact: boolean; written: string[]; normalized: string[]; patterns: Int32Array };

/**
 * One corp's keyword rules compiled into a single automaton, so a message is scanned once
 * whatever the number of rules. Build a new one whenever the corp's keyword rules change; building
 * 20,000 keywords takes milliseconds. `match` allocates only for the rules it reports.
 * @example
 * const m = KeywordRuleMatcher.build([{ id: 'r1', keywords: ['预约', '看房'], mode: 'all', match: 'contains' }]);
 * m.match('想预约周三看房') // [{ ruleId: 'r1', keywords: ['预约', '看房'] }]
 */
export class KeywordRuleMatcher {
  private readonly rules: CompiledRule[];
  private readonly automaton: KeywordAutomaton | undefined;
  /** Per pattern of the automaton: the contains rules that list it. */
  private readonly rulesOfPattern: Int32Array[];
  private readonly patternOf: Map<string, number>;
  /** Per normalised exact keyword: the exact rules that list it. */
  private readonly exactRules: Map<string, number[]>;
  /** How many distinct normalised keywords each rule has (what `all` must reach). */
  private readonly distinctKeywords: Int32Array;
  // Scratch of one `match` call, reset by bumping `generation` instead of clearing.
  private generation = 0;
  private readonly patternSeen: Uint32Array;
  private readonly ruleSeen: Uint32Array;
  private readonly ruleHits: Int32Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private readonly onPattern: (pattern: number) => void;

  private constructor(rules: readonly KeywordRule[]) {
    this.rules = rules.map((r) => {
      const written: string[] = [];
      const normalized: string[] = [];
      for (const k of r.keywords) {
        const n = normalizeKeyword(k);
        if (n === '' || normalized.includes(n)) continue;
        written.push(k);
        normalized.push(n);
      }
      return { id: r.id, all: r.mode === 'all', exact: r.match === 'exact', written, normalized, patterns: new Int32Array(normalized.length) };
    });
    this.patternOf = new Map();
    this.exactRules = new Map();
    const refs: number[][] = [];
    this.distinctKeywords = new Int32Array(this.rules.length);
    this.rules.forEach((rule, i) => {
      this.distinctKeywords[i] = rule.normalized.length;
      rule.normalized.forEach((k, at) => {
        if (rule.exact) {
          const list = this.exactRules.get(k) ?? [];
          list.push(i);
          this.exactRules.set(k, list);
          return;
        }
        let p = this.patternOf.get(k);
        if (p === undefined) {
          p = refs.length;
          this.patternOf.set(k, p);
          refs.push([]);
        }
        refs[p]!.push(i);
        rule.patterns[at] = p;
      });
    });
    this.rulesOfPattern = refs.map((r) => Int32Array.from(r));
    this.automaton = refs.length > 0 ? KeywordAutomaton.build([...this.patternOf.keys()]) : undefined;
    this.patternSeen = new Uint32Array(refs.length);
    this.ruleSeen = new Uint32Array(this.rules.length);
    this.ruleHits = new Int32Array(this.rules.length);
    this.touched = new Int32Array(this.rules.length);
    this.onPattern = (pattern) => {
      if (this.patternSeen[pattern] === this.generation) return;
      this.patternSeen[pattern] = this.generation;
      const rules = this.rulesOfPattern[pattern]!;
      for (let r = 0; r < rules.length; r++) this.hitRule(rules[r]!);
    };
  }

  /** Compiles a corp's keyword rules. Keywords are normalised here; duplicates within a rule count once. */
  static build(rules: readonly KeywordRule[]): KeywordRuleMatcher {
    return new KeywordRuleMatcher(rules);
  }

  /** How many distinct `contains` keywords the automaton holds (across rules). */
  get containsKeywordCount(): number {
    return this.rulesOfPattern.length;
  }

  private hitRule(rule: number): void {
    if (this.ruleSeen[rule] !== this.generation) {
      this.ruleSeen[rule] = this.generation;
      this.ruleHits[rule] = 0;
      this.touched[this.touchedCount++] = rule;
    }
    this.ruleHits[rule]!++;
  }

  /** The rules `message` satisfies, in rule order, each with the keywords that matched. */
  match(message: string): RuleMatch[] {
    // Wrapping after 2^32 messages would let a stale stamp look fresh: clear the stamps then.
    if (++this.generation === 0xffffffff) {
      this.patternSeen.fill(0);
      this.ruleSeen.fill(0);
      this.generation = 1;
    }
    this.touchedCount = 0;
    this.automaton?.forEachMatch(message, this.onPattern);
    let exactKey: string | undefined;
    if (this.exactRules.size > 0) {
      exactKey = normalizeKeyword(message);
      for (const rule of this.exactRules.get(exactKey) ?? []) this.hitRule(rule);
    }
    if (this.touchedCount === 0) return [];
    // Rule order, by an insertion sort in place: a message touches few rules.
    const touched = this.touched;
    for (let a = 1; a < this.touchedCount; a++) {
      const v = touched[a]!;
      let b = a - 1;
      while (b >= 0 && touched[b]! > v) touched[b + 1] = touched[b--]!;
      touched[b + 1] = v;
    }
    const result: RuleMatch[] = [];
    for (let t = 0; t < this.touchedCount; t++) {
      const i = touched[t]!;
      const rule = this.rules[i]!;
      if (rule.all && this.ruleHits[i]! < this.distinctKeywords[i]!) continue;
      const keywords: string[] = [];
      for (let k = 0; k < rule.written.length; k++) {
        if (rule.exact ? rule.normalized[k] === exactKey : this.patternSeen[rule.patterns[k]!] === this.generation) keywords.push(rule.written[k]!);
      }
      result.push({ ruleId: rule.id, keywords });
    }
    return result;
  }

  /** Every occurrence of a `contains` keyword in `message`, overlaps included, ordered by end: the evidence a user sees. */
  occurrences(message: string): KeywordOccurrence[] {
    if (!this.automaton) return [];
    const patterns = this.automaton.patterns;
    return this.automaton.matches(message).map(({ pattern, start, end }) => ({ keyword: patterns[pattern]!, start, end }));
  }
}
