import type { WebhookMapping } from '../../../db/schema/index.js';
import type { ErrorDetail } from '../../../errors.js';
import { JsonPathError, parseJsonPath, readJsonPath } from './json-path.js';

/**
 * Event types a mapping may produce: lowercase words joined by dots, at most 64 characters. The fact
 * is recorded as `webhook.<type>`, which the audience language targets as `event:webhook.order.paid`;
 * its event types take no hyphen and start each word with a letter, so these do too.
 */
export const webhookEventTypePattern = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$/;
const maxEventTypeLength = 64;

/** Field names a mapping may give: the rule engine reads them as template names (`已购买-{product}`). */
export const fieldNamePattern = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;
export const maxFields = 20;
const maxValueLength = 200;

/** What a payload maps to: who, what happened, on what, and the named fields. */
export type MappedDelivery = {
  externalUserid: string;
  eventType: string;
  factType: string;
  target: string;
  fields: Record<string, string | number | boolean | null>;
};

/** Why an event type is unusable, or null when it is fine. */
function eventTypeProblem(type: string): string | null {
  if (type.length === 0) return 'empty';
  if (type.length > maxEventTypeLength) return `longer than ${maxEventTypeLength} characters`;
  if (!webhookEventTypePattern.test(type)) return 'use lowercase words (a letter, then letters, digits or _) joined by dots (order.paid)';
  return null;
}

/**
 * Everything wrong with a mapping as a source is saved: paths that do not parse, a fixed event type
 * that is empty or malformed, field names that a template could not name. Empty when it is sound.
 */
export function mappingProblems(mapping: WebhookMapping, path: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const checkPath = (text: string, at: string) => {
    try {
      parseJsonPath(text);
    } catch (error) {
      if (!(error instanceof JsonPathError)) throw error;
      problems.push({ path: at, code: 'invalid_path', message: error.message });
    }
  };
  checkPath(mapping.externalUserid, `${path}.externalUserid`);
  if ('value' in mapping.eventType) {
    const problem = eventTypeProblem(mapping.eventType.value);
    if (problem) problems.push({ path: `${path}.eventType.value`, code: 'invalid_event_type', message: problem });
  } else checkPath(mapping.eventType.path, `${path}.eventType.path`);
  if (mapping.target !== undefined) checkPath(mapping.target, `${path}.target`);
  const names = Object.keys(mapping.fields);
  if (names.length > maxFields) problems.push({ path: `${path}.fields`, code: 'too_many', message: `at most ${maxFields} fields` });
  for (const name of names) {
    if (!fieldNamePattern.test(name))
      problems.push({
        path: `${path}.fields.${name}`,
        code: 'invalid_field_name',
        message: 'a field name is a letter or _ then up to 31 letters, digits or _',
      });
    else checkPath(mapping.fields[name]!, `${path}.fields.${name}`);
  }
  return problems;
}

const isScalar = (v: unknown): v is string | number | boolean | null => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/**
 * Runs a payload through a (saved, hence sound) mapping. The customer and event type must name a
 * non-empty string; a field or target whose path is missing is null / empty; one that names an
 * object or array, or text over 200 characters, is a problem (a template could not use it).
 * Problems carry the payload path, so the sender's log says what to fix.
 */
export function applyMapping(mapping: WebhookMapping, payload: unknown): { mapped: MappedDelivery } | { problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = [];
  const read = (path: string) => readJsonPath(payload, parseJsonPath(path));
  const requiredText = (path: string, what: string): string => {
    const value = read(path);
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push({ path, code: 'mapping_missing', message: `${what}: ${value === undefined ? 'nothing at this path' : 'not a non-empty string'}` });
      return '';
    }
    return value.trim();
  };
  const externalUserid = requiredText(mapping.externalUserid, 'customer');
  if (externalUserid.length > 64) problems.push({ path: mapping.externalUserid, code: 'mapping_invalid', message: 'customer: longer than 64 characters' });
  let eventType: string;
  if ('value' in mapping.eventType) eventType = mapping.eventType.value;
  else {
    eventType = requiredText(mapping.eventType.path, 'event type');
    const problem = eventType === '' ? null : eventTypeProblem(eventType);
    if (problem) problems.push({ path: mapping.eventType.path, code: 'mapping_invalid', message: `event type: ${problem}` });
  }
  const scalar = (path: string, what: string) => {
    const value = read(path);
    if (value === undefined) return null;
    if (!isScalar(value)) {
      problems.push({ path, code: 'mapping_invalid', message: `${what}: an object or array, not a single value` });
      return null;
    }
    if (typeof value === 'string' && value.length > maxValueLength) {
      problems.push({ path, code: 'mapping_invalid', message: `${what}: longer than ${maxValueLength} characters` });
      return null;
    }
    return value;
  };
  const targetValue = mapping.target === undefined ? null : scalar(mapping.target, 'target');
  const fields: MappedDelivery['fields'] = {};
  for (const [name, path] of Object.entries(mapping.fields)) fields[name] = scalar(path, `field ${name}`);
  if (problems.length > 0) return { problems };
  return { mapped: { externalUserid, eventType, factType: `webhook.${eventType}`, target: targetValue === null ? '' : String(targetValue), fields } };
}
