import { AppError } from '../../../errors.js';
import { findNameIssue, nameLength, normalizeName } from '../../../names/name-policy.js';

/** The date placeholders every template may use, with the most characters each can render to. */
export const datePlaceholders = { yyyy: 4, M: 2, MM: 2, d: 2, dd: 2 } as const;

type DatePlaceholder = keyof typeof datePlaceholders;

/** A template cut into literal text and placeholders: `新用户-{M}月活动期` → text, {M}, text. */
export type TemplatePart = { text: string } | { field: string };

/** Which named fields a trigger's events yield, or `any` when the trigger's source defines them (webhooks). */
export type TemplateFields = readonly string[] | 'any';

const fieldPattern = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;

/** Cuts a template into parts; returns a message instead when a brace is unmatched or a placeholder is not a name. */
export function parseTemplate(template: string): TemplatePart[] | string {
  const parts: TemplatePart[] = [];
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf('{');
    const close = rest.indexOf('}');
    if (close !== -1 && (open === -1 || close < open)) return 'a "}" without its "{"';
    if (open === -1) {
      parts.push({ text: rest });
      break;
    }
    if (open > 0) parts.push({ text: rest.slice(0, open) });
    const end = rest.indexOf('}', open);
    if (end === -1) return 'a "{" without its "}"';
    const field = rest.slice(open + 1, end);
    if (!fieldPattern.test(field)) return `"{${field}}" is not a placeholder: write {yyyy}, {M}, {MM}, {d}, {dd} or {fieldName}`;
    parts.push({ field });
    rest = rest.slice(end + 1);
  }
  return parts;
}

const isDate = (field: string): field is DatePlaceholder => Object.hasOwn(datePlaceholders, field);

/**
 * Checks a template at save time against the trigger and the corp's tag-name limit: every
 * placeholder must be a date one or a field the trigger yields, and the fixed text plus the widest
 * the date placeholders can render must fit. Named fields are only known at run time, where
 * `renderTagName` reports a name that turns out too long.
 * @example checkTemplate('新用户-{M}月活动期', ['state'], 16, 'body.definition.actions.0.template') // ok
 */
export function checkTemplate(template: string, fields: TemplateFields, maxLength: number, path: string): TemplatePart[] {
  const refuse = (message: string) => new AppError('validation_failed', { message: `${path}: ${message}`, details: [{ path, message }] });
  const parts = parseTemplate(template);
  if (typeof parts === 'string') throw refuse(parts);
  let fixed = '';
  let dateWidth = 0;
  for (const part of parts) {
    if ('text' in part) fixed += part.text;
    else if (isDate(part.field)) dateWidth += datePlaceholders[part.field];
    else if (fields !== 'any' && !fields.includes(part.field)) {
      throw refuse(
        `unknown placeholder {${part.field}} for this trigger; it yields ${[...Object.keys(datePlaceholders), ...fields].map((f) => `{${f}}`).join(' ')}`,
      );
    }
  }
  const issue = findNameIssue(normalizeName(fixed) || 'x', { max: Number.MAX_SAFE_INTEGER });
  if (issue?.kind === 'character') throw refuse(`the template contains ${issue.problem.reason} at character ${issue.problem.position}`);
  const width = nameLength(fixed) + dateWidth;
  if (width > maxLength) {
    throw new AppError('name_too_long', {
      message: `${path}: the template renders names of up to ${width} characters before any field; the corp's tag-name limit is ${maxLength}.`,
      details: [{ path, message: `renders up to ${width} characters; the limit is ${maxLength}`, limit: maxLength }],
    });
  }
  return parts;
}

/** What a rendering knows: the event time, the rule's timezone and the event's named fields. */
export type RenderInput = { at: Date; timezone: string; fields: Readonly<Record<string, string>> };

/** A rendered tag name, or why there is none (the engine logs it as a visible failure of the run). */
export type RenderResult =
  | { ok: true; name: string }
  | { ok: false; reason: 'invalid_template'; message: string }
  | { ok: false; reason: 'missing_field'; field: string }
  | { ok: false; reason: 'too_long'; name: string; length: number; max: number }
  | { ok: false; reason: 'invalid_name'; name: string; message: string };

function dateParts(at: Date, timezone: string): Record<DatePlaceholder, string> {
  const got = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(at).map((p) => [p.type, p.value]),
  );
  const [year, month, day] = [String(got.year), String(Number(got.month)), String(Number(got.day))];
  return { yyyy: year, M: month, MM: month.padStart(2, '0'), d: day, dd: day.padStart(2, '0') };
}

/**
 * Renders a tag name from a template at run time: dates in the rule's timezone from the event
 * time, fields from the event, then the name policy and the corp's length limit. Never throws.
 * @example renderTagName('新用户-{M}月活动期', { at: new Date('2026-02-28T17:00Z'), timezone: 'Asia/Shanghai', fields: {} }, 16) // { ok: true, name: '新用户-3月活动期' }
 */
export function renderTagName(template: string, input: RenderInput, maxLength: number): RenderResult {
  const parts = parseTemplate(template);
  if (typeof parts === 'string') return { ok: false, reason: 'invalid_template', message: parts };
  const dates = dateParts(input.at, input.timezone);
  let raw = '';
  for (const part of parts) {
    if ('text' in part) raw += part.text;
    else if (isDate(part.field)) raw += dates[part.field];
    else {
      const value = Object.hasOwn(input.fields, part.field) ? input.fields[part.field] : undefined;
      if (value === undefined || value === '') return { ok: false, reason: 'missing_field', field: part.field };
      raw += value;
    }
  }
  const name = normalizeName(raw);
  const issue = findNameIssue(name, { max: maxLength });
  if (!issue) return { ok: true, name };
  if (issue.kind === 'too_long') return { ok: false, reason: 'too_long', name, length: issue.length, max: issue.max };
  return {
    ok: false,
    reason: 'invalid_name',
    name,
    message: issue.kind === 'blank' ? 'the name is blank' : `contains ${issue.problem.reason} at character ${issue.problem.position}`,
  };
}
