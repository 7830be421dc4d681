/**
 * The fuzz suite's view of the OpenAPI document: every operation with its path and query
 * parameters and JSON body schema, sample values to start from, and the positions a mutation can
 * hit. Built from `app.swagger()`, so a new route is fuzzed with no extra code.
 */

/** A JSON Schema node as @fastify/swagger emits it (OpenAPI 3.0 flavour). */
export type JsonSchema = { [key: string]: any };

/** One operation of the document, as the fuzzer drives it. */
export type FuzzOperation = {
  operationId: string;
  method: string;
  path: string;
  surface: 'native' | 'wecom' | 'other';
  pathParams: { name: string; schema: JsonSchema }[];
  queryParams: { name: string; schema: JsonSchema; required: boolean }[];
  body?: JsonSchema;
  /** `security: []`: the operation takes no credentials. */
  public: boolean;
  /** The security schemes the operation names itself (e.g. `platformKey`); empty when it takes the document's. */
  schemes: string[];
};

type Document = { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, JsonSchema> } };

/** Every operation of the document. */
export function fuzzOperations(doc: Document): FuzzOperation[] {
  const out: FuzzOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const parameters: { in: string; name: string; schema: JsonSchema; required?: boolean }[] = op.parameters ?? [];
      out.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        surface: path.startsWith('/api/') ? 'native' : path.startsWith('/cgi-bin/') ? 'wecom' : 'other',
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: resolve(doc, p.schema) })),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: resolve(doc, p.schema), required: p.required === true })),
        body: op.requestBody?.content?.['application/json']?.schema ? resolve(doc, op.requestBody.content['application/json'].schema) : undefined,
        public: Array.isArray(op.security) && op.security.length === 0,
        schemes: Array.isArray(op.security) ? op.security.flatMap((requirement: Record<string, unknown>) => Object.keys(requirement)) : [],
      });
    }
  }
  return out;
}

/** Follows a local `$ref`. */
export function resolve(doc: Document, schema: JsonSchema | undefined): JsonSchema {
  if (!schema) return {};
  if (typeof schema.$ref === 'string') return resolve(doc, doc.components?.schemas?.[schema.$ref.split('/').pop()!]);
  return schema;
}

/** The variants of a union schema (`anyOf` / `oneOf`), or undefined for a plain one. */
export function variants(schema: JsonSchema): JsonSchema[] | undefined {
  return schema.anyOf ?? schema.oneOf;
}

/** The schema's type, for a union its first variant that is not null. */
export function typeOf(schema: JsonSchema): string | undefined {
  const options = variants(schema);
  if (options) return typeOf(options.find((o) => o.type !== 'null') ?? {});
  return Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
}

/** Known good values by field or parameter name (ids of the test scene, a valid expression…); `path` disambiguates `tagId` and `groupId`. */
export type Vocabulary = (name: string, path: string) => unknown;

/**
 * A value the schema should accept: required properties only (optional ones join when a mutation
 * targets them), known values by name, enum and bounds respected. Not always valid for the route
 * (refinements and business rules are not in the schema), which only makes the fuzzer's
 * mutations meet an earlier refusal.
 */
export function sampleValue(schema: JsonSchema, name: string, vocabulary: Vocabulary, path: string, depth = 0): unknown {
  const known = vocabulary(name, path);
  const type = typeOf(schema);
  if (known !== undefined) return type === 'array' && !Array.isArray(known) ? [known] : type === 'string' && Array.isArray(known) ? known[0] : known;
  const options = variants(schema);
  if (options) return sampleValue(options.find((o) => o.type !== 'null') ?? {}, name, vocabulary, path, depth);
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  switch (type) {
    case 'string':
      if (schema.format === 'date-time') return new Date().toISOString();
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
    case 'integer':
    case 'number':
      return Math.min(Math.max(schema.minimum ?? 1, 1), schema.maximum ?? Number.MAX_SAFE_INTEGER);
    case 'boolean':
      return false;
    case 'array':
      return depth > 6
        ? []
        : Array.from({ length: Math.max(schema.minItems ?? 0, 1) }, () => sampleValue(schema.items ?? {}, name, vocabulary, path, depth + 1));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = sampleValue(schema.properties?.[key] ?? {}, key, vocabulary, path, depth + 1);
      for (const key of Object.keys(schema.properties ?? {})) {
        if (!(key in out) && vocabulary(key, path) !== undefined) out[key] = sampleValue(schema.properties[key], key, vocabulary, path, depth + 1);
      }
      return out;
    }
    default:
      return {};
  }
}

/**
 * A place in a request body a mutation can hit: its path and schema, the variant taken at each
 * union on the way (`choices`, by path), and `uncertain` under a union, where the fuzzer cannot
 * tell valid from invalid.
 */
export type BodyPosition = { path: (string | number)[]; schema: JsonSchema; uncertain: boolean; choices: Record<string, number> };

const nonNull = (options: JsonSchema[]) => options.filter((o) => o.type !== 'null');
const keyOf = (path: (string | number)[]) => path.join('.');

/** Every position of a body schema, the body itself included, inside every variant of a union, down to a bounded depth. */
export function bodyPositions(
  schema: JsonSchema,
  path: (string | number)[] = [],
  uncertain = false,
  depth = 0,
  choices: Record<string, number> = {},
): BodyPosition[] {
  const options = variants(schema);
  if (options) {
    const real = nonNull(options);
    // The union itself is one position (as its first variant); the insides of every variant follow.
    return real.flatMap((variant, i) => {
      const inside = bodyPositions(variant, path, uncertain || real.length > 1, depth, { ...choices, [keyOf(path)]: i });
      return i === 0 ? inside : inside.slice(1);
    });
  }
  const out: BodyPosition[] = [{ path, schema, uncertain, choices }];
  if (depth >= 5) return out;
  if (typeOf(schema) === 'object')
    for (const [key, child] of Object.entries<JsonSchema>(schema.properties ?? {}))
      out.push(...bodyPositions(child, [...path, key], uncertain, depth + 1, choices));
  if (typeOf(schema) === 'array' && schema.items) out.push(...bodyPositions(schema.items, [...path, 0], uncertain, depth + 1, choices));
  return out;
}

/**
 * A copy of `body` with `value` at `path`, creating what is missing on the way from the schema's
 * samples (an optional object, an empty list's first item); at a union, the variant `choices`
 * names (a fresh sample of it when it is not the one the body was sampled from).
 */
export function setAt(
  body: unknown,
  schema: JsonSchema,
  path: (string | number)[],
  value: unknown,
  vocabulary: Vocabulary,
  route: string,
  choices: Record<string, number> = {},
  at: (string | number)[] = [],
): unknown {
  const options = variants(schema);
  const choice = options ? (choices[keyOf(at)] ?? 0) : 0;
  const plain = options ? (nonNull(options)[choice] ?? {}) : schema;
  const current = choice === 0 ? body : sampleValue(plain, '', vocabulary, route);
  if (path.length === 0) return value;
  const [key, ...rest] = path;
  const childSchema = typeof key === 'number' ? (plain.items ?? {}) : (plain.properties?.[key!] ?? {});
  if (typeof key === 'number') {
    const list = Array.isArray(current) ? [...current] : [];
    const child = list.length > key ? list[key] : sampleValue(childSchema, '', vocabulary, route);
    list[key] = setAt(child, childSchema, rest, value, vocabulary, route, choices, [...at, key]);
    return list;
  }
  const object = current !== null && typeof current === 'object' && !Array.isArray(current) ? { ...(current as Record<string, unknown>) } : {};
  const child = key! in object ? object[key!] : sampleValue(childSchema, key!, vocabulary, route);
  object[key!] = setAt(child, childSchema, rest, value, vocabulary, route, choices, [...at, key!]);
  return object;
}

/**
 * Whether the schema certainly refuses the value: a wrong type, out of bounds, too long, off the
 * pattern or the enum. `false` means it may accept it (the schema says too little to tell).
 * Query and path values arrive as text: numbers are read as the routes' coercion reads them.
 */
export function violates(schema: JsonSchema, value: unknown, asText = false): boolean {
  const options = variants(schema);
  if (options) return options.every((o) => violates(o, value, asText));
  if (value === null) return !schema.nullable && schema.type !== 'null';
  const type = typeOf(schema);
  let v = value;
  if (asText && typeof value === 'string' && (type === 'integer' || type === 'number')) v = value.trim() === '' ? NaN : Number(value);
  if (typeof v === 'number' && !Number.isFinite(v)) return true;
  switch (type) {
    case 'integer':
    case 'number':
      if (typeof v !== 'number' || (type === 'integer' && !Number.isInteger(v))) return true;
      return (schema.minimum !== undefined && v < schema.minimum) || (schema.maximum !== undefined && v > schema.maximum);
    case 'string':
      if (typeof v !== 'string') return true;
      if (schema.enum && !schema.enum.includes(v)) return true;
      if (schema.maxLength !== undefined && [...v].length > schema.maxLength) return true;
      return schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(v);
    case 'boolean':
      return typeof v !== 'boolean';
    case 'array':
      return !Array.isArray(v) || (schema.maxItems !== undefined && v.length > schema.maxItems);
    case 'object':
      return v === null || typeof v !== 'object' || Array.isArray(v);
    default:
      return schema.enum !== undefined && !schema.enum.includes(v);
  }
}
