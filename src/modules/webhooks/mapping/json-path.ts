/**
 * A small in-house subset of JSONPath, enough to point into a webhook payload: `$` followed by
 * `.name`, `['name']` / `["name"]` and `[index]` steps. No wildcards, filters or recursion: a
 * mapping names one value, and a path that could name many would be ambiguous.
 */

/** One step of a path: an object key or an array index. */
export type PathStep = { key: string } | { index: number };

/** A path that does not parse: the message names the character where it went wrong. */
export class JsonPathError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
    this.name = 'JsonPathError';
  }
}

/** The longest path text accepted, and the most steps; payload mappings need far fewer. */
export const maxPathLength = 256;
export const maxPathSteps = 32;

const identStart = /[A-Za-z_$]/;
const identPart = /[A-Za-z0-9_$-]/;

/**
 * Parses a path into its steps, or throws `JsonPathError` naming the position.
 * @example parseJsonPath("$.order.items[0]['sku id']") // → [{key:'order'},{key:'items'},{index:0},{key:'sku id'}]
 */
export function parseJsonPath(text: string): PathStep[] {
  if (text.length > maxPathLength) throw new JsonPathError(`longer than ${maxPathLength} characters`, maxPathLength);
  if (text[0] !== '$') throw new JsonPathError("a path starts with '$'", 0);
  const steps: PathStep[] = [];
  let i = 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '.') {
      const start = ++i;
      if (!identStart.test(text[i] ?? '')) throw new JsonPathError(`expected a name after '.' at ${start}`, start);
      while (i < text.length && identPart.test(text[i]!)) i += 1;
      steps.push({ key: text.slice(start, i) });
    } else if (c === '[') {
      i += 1;
      const q = text[i];
      if (q === "'" || q === '"') {
        const start = ++i;
        let key = '';
        while (i < text.length && text[i] !== q) {
          // A backslash escapes the quote or itself, so any key can be named.
          if (text[i] === '\\' && (text[i + 1] === q || text[i + 1] === '\\')) i += 1;
          key += text[i];
          i += 1;
        }
        if (i >= text.length) throw new JsonPathError(`unclosed quote opened at ${start - 1}`, start - 1);
        i += 1;
        if (key === '') throw new JsonPathError(`empty key at ${start}`, start);
        steps.push({ key });
      } else {
        const start = i;
        while (i < text.length && /[0-9]/.test(text[i]!)) i += 1;
        const digits = text.slice(start, i);
        if (digits === '') throw new JsonPathError(`expected an index or a quoted key after '[' at ${start}`, start);
        if (digits.length > 1 && digits[0] === '0') throw new JsonPathError(`an index has no leading zeros at ${start}`, start);
        if (digits.length > 9) throw new JsonPathError(`index too large at ${start}`, start);
        steps.push({ index: Number(digits) });
      }
      if (text[i] !== ']') throw new JsonPathError(`expected ']' at ${i}`, i);
      i += 1;
    } else {
      throw new JsonPathError(`unexpected '${c}' at ${i}; a step is .name, ['name'] or [index]`, i);
    }
    if (steps.length > maxPathSteps) throw new JsonPathError(`more than ${maxPathSteps} steps`, i);
  }
  return steps;
}

/**
 * The value a parsed path names in `data`, or `undefined` when a step is missing. Only own keys are
 * followed (`$.constructor` names nothing), and an index never reads an object's key or vice versa.
 */
export function readJsonPath(data: unknown, steps: readonly PathStep[]): unknown {
  let at: unknown = data;
  for (const step of steps) {
    if ('index' in step) {
      if (!Array.isArray(at) || step.index >= at.length) return undefined;
      at = at[step.index];
    } else {
      if (at === null || typeof at !== 'object' || Array.isArray(at) || !Object.hasOwn(at, step.key)) return undefined;
      at = (at as Record<string, unknown>)[step.key];
    }
  }
  return at;
}
