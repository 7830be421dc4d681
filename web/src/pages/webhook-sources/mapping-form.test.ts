import { describe, expect, it } from 'vitest';
import { draftOf, type MappingDraft, mappingOf, sampleMapping, samplePayload } from './mapping-form.js';

describe('webhook mapping form', () => {
  it('turns the form into the API mapping: trimmed, no empty target, no half-filled field rows', () => {
    const draft: MappingDraft = {
      externalUserid: ' $.c ',
      eventTypeMode: 'path',
      eventType: '$.type',
      target: ' ',
      fields: [
        { name: 'amount', path: '$.a' },
        { name: '', path: '$.b' },
        { name: 'x', path: '' },
      ],
    };
    expect(mappingOf(draft)).toEqual({ externalUserid: '$.c', eventType: { path: '$.type' }, fields: { amount: '$.a' } });
    expect(mappingOf(sampleMapping)).toEqual({
      externalUserid: '$.customer.external_userid',
      eventType: { value: 'order.paid' },
      target: '$.order.product_id',
      fields: { amount: '$.order.amount' },
    });
  });

  it('reads a saved mapping back into the form, both event type kinds', () => {
    expect(draftOf({ externalUserid: '$.c', eventType: { value: 'a.b' }, fields: { n: '$.n' } })).toEqual({
      externalUserid: '$.c',
      eventTypeMode: 'value',
      eventType: 'a.b',
      target: '',
      fields: [{ name: 'n', path: '$.n' }],
    });
    expect(draftOf({ externalUserid: '$.c', eventType: { path: '$.t' }, target: '$.p', fields: {} })).toMatchObject({
      eventTypeMode: 'path',
      eventType: '$.t',
      target: '$.p',
    });
  });

  it('builds a sample payload every path of the mapping can read', () => {
    expect(samplePayload(sampleMapping, 'wm1')).toEqual({ customer: { external_userid: 'wm1' }, order: { product_id: 'sample', amount: 99 } });
    expect(samplePayload({ ...sampleMapping, eventTypeMode: 'path', eventType: "$['kind']", target: '', fields: [] }, 'wm2')).toEqual({
      kind: 'order.paid',
      customer: { external_userid: 'wm2' },
    });
    expect(samplePayload({ ...sampleMapping, externalUserid: 'nope', target: '', fields: [] }, 'wm3')).toEqual({});
  });
});
