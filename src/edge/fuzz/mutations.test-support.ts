import { bodyPositions, type FuzzOperation, type JsonSchema, sampleValue, setAt, typeOf, type Vocabulary, violates } from './operations.test-support.js';

/** What the fuzzer does to one place of a request. */
export const mutationKinds = [
  'nul',
  'badUtf8',
  'loneSurrogate',
  'nulKey',
  'int32',
  'maxSafe',
  'negative',
  'float',
  'hugeExponent',
  'wrongType',
  'deepNesting',
  'longString',
  'repeated',
  'unexpectedBody',
] as const;

/** One of `mutationKinds`. */
export type MutationKind = (typeof mutationKinds)[number];

/** Credentials a case is sent with: headers (native) or query pairs (WeCom's access_token). */
export type Identity = { label: string; headers: Record<string, string>; query: [string, string][] };

/**
 * One fuzz case: the request to send and what must come back. `mustRefuse`: the input is invalid
 * (bad text, or a value the documented schema refuses), so a success would be a bug; `expectPath`
 * (native) is the detail path the 400 must name; `expectErrcode` / `expectParameter` the same for WeCom.
 */
export type FuzzCase = {
  label: string;
  op: FuzzOperation;
  kind: MutationKind;
  /** Sent with the request: its headers are read at send time, so a renewed session cookie applies to the cases after it. */
  identity: Identity;
  request: { method: string; url: string; headers: Record<string, string>; payload?: string | Buffer };
  mustRefuse: boolean;
  expectPath?: string;
  expectCode?: string;
  expectErrcode?: number;
  expectParameter?: string;
};

type Target =
  | { part: 'params' | 'query'; name: string; schema: JsonSchema; uncertain: boolean }
  | { part: 'body'; path: (string | number)[]; schema: JsonSchema; uncertain: boolean; choices: Record<string, number> }
  | { part: 'token' | 'none' };

type Parts = { params: Record<string, string>; query: [string, string][]; body?: unknown; rawBody?: string | Buffer; repeatCredentials?: boolean };

const hole = 'FUZZ_HOLE_5f2c';
const deep = `${'['.repeat(200)}1${']'.repeat(200)}`;
const numbers: Partial<Record<MutationKind, { raw: string; value: number }>> = {
  int32: { raw: '2147483648', value: 2 ** 31 },
  maxSafe: { raw: '9007199254740991', value: Number.MAX_SAFE_INTEGER },
  negative: { raw: '-1', value: -1 },
  float: { raw: '1.5', value: 1.5 },
  hugeExponent: { raw: '1e400', value: Infinity },
};
const enc = encodeURIComponent;

/** The operation's starting request: path parameters, required (or known) query parameters and body, all from samples. */
function baseline(op: FuzzOperation, vocabulary: Vocabulary): Parts {
  const params = Object.fromEntries(op.pathParams.map((p) => [p.name, enc(String(sampleValue(p.schema, p.name, vocabulary, op.path)))]));
  const query = op.queryParams
    .filter((q) => q.required || vocabulary(q.name, op.path) !== undefined)
    .map((q): [string, string] => {
      const value = sampleValue(q.schema, q.name, vocabulary, op.path);
      return [enc(q.name), enc(String(Array.isArray(value) ? value[0] : value))];
    });
  return { params, query, body: op.body ? sampleValue(op.body, '', vocabulary, op.path) : undefined };
}

function render(op: FuzzOperation, parts: Parts, identity: Identity): FuzzCase['request'] {
  const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => parts.params[name] ?? 'x');
  const query = [...identity.query, ...(parts.repeatCredentials ? identity.query : []), ...parts.query].map(([k, v]) => `${k}=${v}`).join('&');
  const payload = parts.rawBody ?? (parts.body === undefined ? undefined : JSON.stringify(parts.body));
  const headers: Record<string, string> = payload === undefined ? {} : { 'content-type': 'application/json' };
  return { method: op.method, url: query ? `${path}?${query}` : path, headers, payload };
}

function valueAt(body: unknown, path: (string | number)[]): unknown {
  let v = body;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[key] : undefined;
  return v;
}

/** The body with a raw JSON token (text or bytes) where `path` is. */
function bodyWith(
  op: FuzzOperation,
  parts: Parts,
  target: { path: (string | number)[]; choices: Record<string, number> },
  token: string | Buffer,
  vocabulary: Vocabulary,
): string | Buffer {
  const [before, after] = JSON.stringify(setAt(parts.body, op.body!, target.path, hole, vocabulary, op.path, target.choices)).split(`"${hole}"`) as [
    string,
    string,
  ];
  return typeof token === 'string' ? `${before}${token}${after}` : Buffer.concat([Buffer.from(before), token, Buffer.from(after)]);
}

/** The places each kind applies to, for one operation. */
function targets(op: FuzzOperation, kind: MutationKind): Target[] {
  const url: Target[] = [
    ...op.pathParams.map((p) => ({ part: 'params' as const, name: p.name, schema: p.schema, uncertain: false })),
    ...op.queryParams.map((q) => ({ part: 'query' as const, name: q.name, schema: q.schema, uncertain: false })),
  ];
  const body: Target[] = op.body ? bodyPositions(op.body).map((p) => ({ part: 'body' as const, ...p })) : [];
  const typed = (t: Target, ...types: string[]) => 'schema' in t && types.includes(typeOf(t.schema) ?? '');
  switch (kind) {
    case 'nul':
    case 'badUtf8':
    case 'loneSurrogate':
    case 'longString':
      return [...url, ...body.filter((t) => typed(t, 'string'))];
    case 'nulKey':
      return body.filter((t) => typed(t, 'object'));
    case 'int32':
    case 'maxSafe':
    case 'negative':
    case 'float':
    case 'hugeExponent':
      return [...url, ...body].filter((t) => typed(t, 'integer', 'number'));
    case 'wrongType':
      return [
        ...url.filter((t) => typed(t, 'integer', 'number', 'boolean')),
        ...body.filter((t) => t.part === 'body' && t.path.length > 0 && typeOf(t.schema) !== undefined),
      ];
    case 'deepNesting':
      return body.filter((t) => typed(t, 'object', 'array'));
    case 'repeated':
      return [...url.filter((t) => t.part === 'query'), ...(op.surface === 'wecom' && !op.public ? [{ part: 'token' as const }] : [])];
    case 'unexpectedBody':
      return !op.body && op.method !== 'GET' ? [{ part: 'none' }] : [];
  }
}

/** A URL value mutated as text: `raw` is what goes on the wire, `text` what the server decodes. */
function urlMutation(kind: MutationKind, current: string): { raw: string; text?: string } | undefined {
  if (kind === 'nul') return { raw: `${current}%00` };
  if (kind === 'badUtf8') return { raw: `${current}%FF` };
  if (kind === 'loneSurrogate') return { raw: `${current}%ED%A0%80` };
  if (kind === 'longString') return { raw: 'x'.repeat(3000), text: 'x'.repeat(3000) };
  if (kind === 'wrongType') return { raw: 'abc', text: 'abc' };
  const n = numbers[kind];
  return n ? { raw: enc(n.raw), text: n.raw } : undefined;
}

/** Applies one kind at one target; undefined when it does not apply there. */
function mutate(
  op: FuzzOperation,
  base: Parts,
  kind: MutationKind,
  target: Target,
  vocabulary: Vocabulary,
): { parts: Parts; at: string; mustRefuse: boolean; expectPath?: string; expectCode?: string; expectErrcode?: number; expectParameter?: string } | undefined {
  const parts: Parts = { params: { ...base.params }, query: [...base.query], body: base.body };
  const badText = kind === 'nul' || kind === 'badUtf8' || kind === 'loneSurrogate';
  if (target.part === 'token') return { parts: { ...parts, repeatCredentials: true }, at: 'query.access_token', mustRefuse: true, expectErrcode: 40014 };
  if (target.part === 'none') {
    parts.rawBody = '{"note":"a\\u0000"}';
    return { parts, at: 'body', mustRefuse: true, expectPath: 'body.note', expectParameter: 'note' };
  }
  if (target.part === 'params' || target.part === 'query') {
    const current =
      target.part === 'params'
        ? (parts.params[target.name] ?? 'x')
        : (parts.query.find(([k]) => k === enc(target.name))?.[1] ?? enc(String(sampleValue(target.schema, target.name, vocabulary, op.path))));
    const at = `${target.part}.${target.name}`;
    if (kind === 'repeated') {
      parts.query = [...parts.query.filter(([k]) => k !== enc(target.name)), [enc(target.name), current], [enc(target.name), current]];
      return { parts, at, mustRefuse: typeOf(target.schema) !== 'array' && !target.schema.anyOf && !target.schema.oneOf };
    }
    const m = urlMutation(kind, current);
    if (!m) return undefined;
    if (target.part === 'params') parts.params[target.name] = m.raw;
    else parts.query = [...parts.query.filter(([k]) => k !== enc(target.name)), [enc(target.name), m.raw]];
    // The router reads percent-escapes of path segments: one that is not UTF-8 is refused there, for the whole path.
    const expectPath = badText ? (target.part === 'params' && kind !== 'nul' ? 'params' : at) : undefined;
    const mustRefuse = badText || (m.text !== undefined && violates(target.schema, m.text, true)) || (kind === 'longString' && target.part === 'params');
    return { parts, at, mustRefuse, expectPath, expectParameter: badText && target.part === 'query' ? target.name : undefined };
  }
  if (target.part !== 'body') return undefined;
  const at = ['body', ...target.path].join('.');
  const current = valueAt(base.body, target.path);
  const text = typeof current === 'string' ? current : 'x';
  const literal = (value: unknown) => ({ raw: JSON.stringify(value), value });
  let token: { raw: string | Buffer; value: unknown } | undefined;
  if (kind === 'nul') token = literal(`${text}\u0000`);
  else if (kind === 'loneSurrogate') token = { raw: `${JSON.stringify(text).slice(0, -1)}\\ud800"`, value: undefined };
  else if (kind === 'badUtf8')
    token = { raw: Buffer.concat([Buffer.from(JSON.stringify(text).slice(0, -1)), Buffer.from([0xff, 0xfe]), Buffer.from('"')]), value: undefined };
  else if (kind === 'longString') token = literal('x'.repeat(100_000));
  else if (kind === 'deepNesting') token = { raw: deep, value: undefined };
  else if (kind === 'nulKey') {
    const object = current !== null && typeof current === 'object' ? current : sampleValue(target.schema, '', vocabulary, op.path);
    token = literal({ ...(object as object), 'k\u0000ey': 1 });
  } else if (kind === 'wrongType') token = literal(typeOf(target.schema) === 'string' ? 12345 : 'x');
  else if (numbers[kind]) token = { raw: numbers[kind]!.raw, value: numbers[kind]!.value };
  if (!token) return undefined;
  parts.rawBody = bodyWith(op, parts, target, token.raw, vocabulary);
  const always = badText || kind === 'nulKey' || kind === 'deepNesting';
  const mustRefuse = always || (!target.uncertain && violates(target.schema, token.value));
  const expectPath = badText ? at : kind === 'nulKey' ? `${at}.k\\u0000ey` : undefined;
  return {
    parts,
    at,
    mustRefuse,
    expectPath,
    expectCode: kind === 'deepNesting' ? 'too_deep' : undefined,
    expectParameter: badText ? at.replace(/^body\.?/, '') : undefined,
  };
}

/**
 * The cases for one operation: every mutation kind at every place it applies to, each sent as one
 * of `identities` picked by `random` (seeded, so a run can be repeated).
 */
export function casesFor(op: FuzzOperation, vocabulary: Vocabulary, identities: Identity[], random: () => number): FuzzCase[] {
  const base = baseline(op, vocabulary);
  const out: FuzzCase[] = [];
  for (const kind of mutationKinds) {
    for (const target of targets(op, kind)) {
      const m = mutate(op, base, kind, target, vocabulary);
      if (!m) continue;
      const identity = identities[Math.floor(random() * identities.length)]!;
      const label = `${op.method} ${op.path} · ${kind} at ${m.at} · ${identity.label}`;
      const { parts, ...expect } = m;
      out.push({ label, op, kind, identity, request: render(op, parts, identity), ...expect });
    }
  }
  return out;
}
