import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, type ErrorCode, type ErrorDetail } from '../errors.js';
import { isBlank as isBlankName, nameLength, normalizeName } from '../names/name-policy.js';

/** WeCom's own ceiling for tag and group names. The corp's lower limit (default 16) is the commands' to enforce, as 40072. */
export const wecomNameMax = 30;

/**
 * A tag or group name: longer than 30 characters is 40058, as WeCom answers. Counted as the name
 * policy counts (src/names): grapheme clusters of the normalized name, so 🇨🇳 is one character.
 */
export const wecomName = z.string().refine((s) => nameLength(normalizeName(s)) <= wecomNameMax, { message: `longer than ${wecomNameMax} characters` });

/** An optional name (add_corp_tag's `group_name`); `null` and `""` read as absent. */
export const optionalName = wecomName.nullish().transform((value) => (value ? value : undefined));

/** WeCom's `order`: a uint32 (larger sorts first). */
export const wecomOrder = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1);

/** An optional `order`; `null` reads as absent. */
export const optionalOrder = wecomOrder.nullish().transform((value) => value ?? undefined);

/**
 * An optional list of ids. SDKs written in Go send `null` for an empty list and some send `[""]`;
 * both read as "none given".
 */
export const idList = z
  .array(z.string())
  .nullish()
  .transform((ids) => (ids ?? []).filter((id) => id !== ''));

/** An optional string; `null` and `""` (Go SDKs' zero values, e.g. `group_id` in add_corp_tag) read as absent. */
export const optionalText = z
  .string()
  .nullish()
  .transform((value) => (value ? value : undefined));

/** A required id or userid: absent, `null` or `""` is reported with the field's "missing" errcode. */
export const requiredText = z.string().min(1);

/** A rule-group id (int32); Go SDKs send 0 for "unset", which reads as absent like `null`. */
export const optionalStrategyId = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1)
  .nullish()
  .transform((id) => id || undefined);

/** A required rule-group id: absent, `null` or 0 is 40058, WeCom's "required value empty". */
export const strategyId = z
  .number()
  .int()
  .min(1)
  .max(2 ** 31 - 1);

/** The errcode a missing (absent, `null` or `""`) field is reported with, by path; `*` stands for any array index. */
export type MissingCodes = Record<string, ErrorCode>;

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const isBlank = (value: unknown) => value === undefined || value === null || value === '';
const dotted = (path: readonly PropertyKey[]) => path.map(String).join('.');
const pattern = (path: readonly PropertyKey[]) => path.map((key) => (typeof key === 'number' ? '*' : String(key))).join('.');

/**
 * Parses WeCom input with a zod schema and turns a failure into the errcode WeCom would send: a
 * missing required field gets its own code from `missing` (41017, 41018, 40003…), preferred over
 * other problems in the same request because it is the more specific answer; anything else is 40058.
 * @example parseWecom(z.object({ id: requiredText }), body, { id: 'id_missing' })
 */
export function parseWecom<S extends z.ZodType>(schema: S, input: unknown, missing: MissingCodes = {}): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const details: ErrorDetail[] = result.error.issues.map((issue) => ({ path: dotted(issue.path), message: issue.message }));
  for (const issue of result.error.issues) {
    const code = missing[pattern(issue.path)];
    if (code && isBlank(valueAt(input, issue.path))) throw new AppError(code, { message: `${dotted(issue.path)} missing`, details });
  }
  const first = result.error.issues[0];
  const where = first && first.path.length > 0 ? ` ${dotted(first.path)}` : '';
  throw new AppError('validation_failed', { message: `invalid parameter${where}: ${first?.message ?? 'bad request'}`, details });
}

/**
 * The methods a WeCom POST endpoint is registered for. WeCom answers a GET on a POST endpoint with
 * 40058 (not 404), so these routes accept GET too and `parseBody` refuses it after the token check.
 */
export const postMethods: ('GET' | 'POST')[] = ['GET', 'POST'];

/**
 * Parses a POST endpoint's JSON body (the plugin has already turned the raw text into a value, or
 * answered 40058 for bad JSON); a GET on a POST endpoint is 40058 (see `postMethods`).
 */
export function parseBody<S extends z.ZodType>(request: FastifyRequest, schema: S, missing?: MissingCodes): z.output<S> {
  if (request.method !== 'POST') throw new AppError('validation_failed', { message: 'invalid request method, POST required' });
  return parseWecom(schema, request.body, missing);
}

/** Parses a GET endpoint's query string; a repeated parameter arrives as an array and is 40058. */
export function parseQuery<S extends z.ZodType>(request: FastifyRequest, schema: S, missing?: MissingCodes): z.output<S> {
  return parseWecom(schema, request.query, missing);
}

/** get_corp_tag_list / get_strategy_tag_list filters. */
export const tagFilterBody = z.object({ tag_id: idList, group_id: idList });

/** add_corp_tag / add_strategy_tag: the target group (by id or name) and the tags to add. */
export const addTagsBody = z.object({
  group_id: optionalText,
  group_name: optionalName,
  order: optionalOrder,
  tag: z
    .array(z.object({ name: wecomName, order: optionalOrder }))
    .nullish()
    .transform((tags) => tags ?? []),
});

/** edit_corp_tag / edit_strategy_tag: one tag or group id, a new name and/or order. */
export const editTagBody = z.object({ id: requiredText, name: wecomName.nullish().transform((value) => value ?? undefined), order: optionalOrder });

/**
 * edit_corp_tag / edit_strategy_tag: absent or `null` keeps the name, but an empty or blank one is
 * WeCom's 40072 ("invalid tag name length: empty or too long"), never a silent no-op.
 */
export function refuseBlankRename(name: string | undefined): void {
  if (name !== undefined && isBlankName(normalizeName(name))) {
    throw new AppError('name_too_long', { message: 'invalid tag name: empty', details: [{ path: 'name', message: name === '' ? 'empty' : 'blank' }] });
  }
}

/** del_corp_tag / del_strategy_tag: tags and groups to delete. */
export const deleteTagsBody = z.object({ tag_id: idList, group_id: idList });
