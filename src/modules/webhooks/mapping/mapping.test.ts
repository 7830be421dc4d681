import { describe, expect, it } from 'vitest';
import type { WebhookMapping } from '../../../db/schema/index.js';
import { applyMapping, mappingProblems } from './mapping.js';

const mapping: WebhookMapping = {
  externalUserid: '$.customer.external_userid',
  eventType: { value: 'order.paid' },
  target: '$.order.items[0].sku',
  fields: { product: '$.order.items[0].name', amount: '$.order.amount', order_id: '$.order.id', coupon: '$.order.coupon' },
};
const payload = { customer: { external_userid: 'wmABC' }, order: { id: 'o-1', amount: 99.5, items: [{ sku: 'S1', name: '智能手表' }] } };

describe('mappingProblems', () => {
  it('accepts a sound mapping', () => {
    expect(mappingProblems(mapping, 'body.mapping')).toEqual([]);
  });

  it('names every bad part', () => {
    const bad: WebhookMapping = { externalUserid: 'customer.id', eventType: { value: 'Order Paid' }, target: '$[', fields: { '1x': '$.a', ok: '$..b' } };
    expect(mappingProblems(bad, 'body.mapping').map((p) => p.path)).toEqual([
      'body.mapping.externalUserid',
      'body.mapping.eventType.value',
      'body.mapping.target',
      'body.mapping.fields.1x',
      'body.mapping.fields.ok',
    ]);
  });

  it.each([[''], ['a'.repeat(65)], ['order-paid'], ['1st.paid'], ['.paid'], ['order..paid'], ['订单']])('refuses the event type %j', (value) => {
    expect(mappingProblems({ ...mapping, eventType: { value } }, 'm')).toMatchObject([{ path: 'm.eventType.value' }]);
  });

  it('refuses more than 20 fields', () => {
    const fields = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}`, '$.x']));
    expect(mappingProblems({ ...mapping, fields }, 'm')).toMatchObject([{ path: 'm.fields', code: 'too_many' }]);
  });
});

describe('applyMapping', () => {
  it('maps customer, event type, target and fields; a missing field is null', () => {
    expect(applyMapping(mapping, payload)).toEqual({
      mapped: {
        externalUserid: 'wmABC',
        eventType: 'order.paid',
        factType: 'webhook.order.paid',
        target: 'S1',
        fields: { product: '智能手表', amount: 99.5, order_id: 'o-1', coupon: null },
      },
    });
  });

  it('reads the event type from the payload when mapped by path', () => {
    const result = applyMapping({ ...mapping, eventType: { path: '$.type' } }, { ...payload, type: 'order.refunded' });
    expect(result).toMatchObject({ mapped: { eventType: 'order.refunded', factType: 'webhook.order.refunded' } });
  });

  it('refuses a payload without the customer, naming the path', () => {
    expect(applyMapping(mapping, { order: payload.order })).toEqual({
      problems: [{ path: '$.customer.external_userid', code: 'mapping_missing', message: 'customer: nothing at this path' }],
    });
  });

  it.each([
    [{ ...payload, type: 'Order Paid' }, 'event type: use lowercase'],
    [{ ...payload, type: 42 }, 'event type: use lowercase'],
    [{ ...payload, type: '' }, 'event type: not a non-empty string'],
    [{ ...payload, type: { a: 1 } }, 'event type: not a non-empty string'],
  ])('refuses a bad event type from the payload (%j)', (body, message) => {
    const result = applyMapping({ ...mapping, eventType: { path: '$.type' } }, body);
    expect('problems' in result && result.problems[0]!.message).toContain(message);
  });

  it('refuses a field that names an object, and over-long text', () => {
    const result = applyMapping(mapping, { ...payload, order: { ...payload.order, id: { nested: true }, items: [{ sku: 'S', name: 'x'.repeat(201) }] } });
    expect('problems' in result && result.problems.map((p) => p.path)).toEqual(['$.order.items[0].name', '$.order.id']);
  });

  it('refuses a payload that is not an object', () => {
    expect(applyMapping(mapping, [1, 2])).toMatchObject({ problems: [{ path: '$.customer.external_userid' }] });
    expect(applyMapping(mapping, 'text')).toMatchObject({ problems: [{ code: 'mapping_missing' }] });
  });
});
