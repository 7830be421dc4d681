import type { MappingInput, WebhookSourceDto } from '../../api/webhook-sources.js';

/** The mapping as the form edits it: one row per named field, the event type fixed or read from a path. */
export type MappingDraft = {
  externalUserid: string;
  eventTypeMode: 'value' | 'path';
  eventType: string;
  target: string;
  fields: { name: string; path: string }[];
};

/** A new source's starting mapping: a shop's order-paid delivery. */
export const sampleMapping: MappingDraft = {
  externalUserid: '$.customer.external_userid',
  eventTypeMode: 'value',
  eventType: 'order.paid',
  target: '$.order.product_id',
  fields: [{ name: 'amount', path: '$.order.amount' }],
};

/** A saved source's mapping as the form edits it. */
export function draftOf(mapping: WebhookSourceDto['mapping']): MappingDraft {
  return {
    externalUserid: mapping.externalUserid,
    eventTypeMode: 'value' in mapping.eventType ? 'value' : 'path',
    eventType: 'value' in mapping.eventType ? mapping.eventType.value : mapping.eventType.path,
    target: mapping.target ?? '',
    fields: Object.entries(mapping.fields).map(([name, path]) => ({ name, path })),
  };
}

/**
 * The form's mapping as the API takes it: blanks trimmed, an empty target left out, field rows
 * without a name or a path dropped (the server checks the paths and names the bad one).
 */
export function mappingOf(draft: MappingDraft): MappingInput {
  const fields = Object.fromEntries(draft.fields.map((f) => [f.name.trim(), f.path.trim()] as const).filter(([name, path]) => name !== '' && path !== ''));
  const eventType = draft.eventTypeMode === 'value' ? { value: draft.eventType.trim() } : { path: draft.eventType.trim() };
  const target = draft.target.trim();
  return { externalUserid: draft.externalUserid.trim(), eventType, ...(target ? { target } : {}), fields };
}

/**
 * A sample payload the mapping can read: every path it names filled with a placeholder, the
 * customer path with `customer` (a real external_userid makes the test say it exists).
 * @example samplePayload({ ...sampleMapping, fields: [] }, 'wm1') // → { customer: { external_userid: 'wm1' }, order: { product_id: 'sample' } }
 */
export function samplePayload(draft: MappingDraft, customer: string): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  const put = (path: string, value: unknown) => {
    const steps = [...path.trim().matchAll(/\.([A-Za-z_][\w]*)|\['([^']*)'\]/g)].map((m) => m[1] ?? m[2] ?? '');
    if (!path.trim().startsWith('$') || steps.length === 0) return;
    let node = payload;
    for (const step of steps.slice(0, -1)) {
      const next = node[step];
      node[step] = typeof next === 'object' && next !== null ? next : {};
      node = node[step] as Record<string, unknown>;
    }
    node[steps.at(-1)!] = value;
  };
  if (draft.eventTypeMode === 'path') put(draft.eventType, 'order.paid');
  if (draft.target) put(draft.target, 'sample');
  for (const f of draft.fields) if (f.path) put(f.path, f.name === 'amount' ? 99 : 'sample');
  put(draft.externalUserid, customer);
  return payload;
}
