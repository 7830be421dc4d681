import { describe, expect, it } from 'vitest';
import type { OutboxEvent } from '../../../events/snapshot-cursor.js';
import { momentFactsOf } from './moment-facts.js';

const at = new Date('2026-12-01T00:00:00Z');
const event = (payload: unknown, type = 'customer_event.recorded'): OutboxEvent => ({
  seq: 1,
  txid: 1n,
  type,
  subjectType: 'customer',
  subjectId: 'wm1',
  payload,
  before: null,
  after: null,
  operationId: null,
  actor: 'app:customer_contact',
  at,
});

describe('Moments facts read off customer_event.recorded', () => {
  it('keeps moment.<kind> facts naming a post, and nothing else', () => {
    const facts = [
      { externalUserid: 'wm1', type: 'moment.not_interested', target: 'mo1', occurredAt: '2026-11-30T10:00:00.000Z' },
      { externalUserid: 'wm1', type: 'moment.liked', target: 'mo2', occurredAt: '2026-11-30T11:00:00.000Z' },
      { externalUserid: 'wm1', type: 'link.clicked', target: 'p1', occurredAt: '2026-11-30T11:00:00.000Z' },
      { externalUserid: 'wm1', type: 'moment.shared', target: 'mo3', occurredAt: '2026-11-30T11:00:00.000Z' },
      { externalUserid: 'wm1', type: 'moment.viewed', target: '', occurredAt: '2026-11-30T11:00:00.000Z' },
      { externalUserid: 'wm2', type: 'moment.clicked', target: 'mo4' },
    ];
    expect(momentFactsOf(event({ facts }))).toEqual([
      { externalUserid: 'wm1', momentId: 'mo1', kind: 'not_interested', occurredAt: new Date('2026-11-30T10:00:00.000Z') },
      { externalUserid: 'wm1', momentId: 'mo2', kind: 'liked', occurredAt: new Date('2026-11-30T11:00:00.000Z') },
      // No time on the fact: the event's own.
      { externalUserid: 'wm2', momentId: 'mo4', kind: 'clicked', occurredAt: at },
    ]);
  });

  it('reads old or foreign payloads as no facts', () => {
    expect(momentFactsOf(event(null))).toEqual([]);
    expect(momentFactsOf(event({ count: 1 }))).toEqual([]);
    expect(momentFactsOf(event({ facts: [null, 3, 'x'] }))).toEqual([]);
    expect(momentFactsOf(event({ facts: [{ externalUserid: 'wm1', type: 'moment.liked', target: 'mo1' }] }, 'tag.created'))).toEqual([]);
  });
});
