import { describe, expect, it } from 'vitest';
import { describeEvidence } from './mark-evidence.js';

const at = new Date('2026-12-06T19:00:00Z');

describe('a trigger event described as evidence', () => {
  it('reads times in Asia/Shanghai and a scheduled run as `schedule`, falling back to the event time', () => {
    expect(describeEvidence({ seq: 5, type: 'rule.ran', at, payload: { ruleId: 'r', version: 2, dueAt: null } })).toEqual({
      seq: 5,
      type: 'schedule',
      at: at.toISOString(),
      details: { time: '2026-12-07 03:00' },
      summary: 'scheduled run at 2026-12-07 03:00',
    });
  });

  it('never fails on an odd payload: missing fields are left out, an unknown type shows as itself', () => {
    expect(describeEvidence({ seq: 1, type: 'message.matched', at, payload: null })).toMatchObject({ details: {}, summary: 'message at ? contained' });
    expect(describeEvidence({ seq: 2, type: 'message.matched', at, payload: { keywords: ['看房', 3], sentAt: 'not a time' } })).toMatchObject({
      details: { keywords: '看房' },
    });
    expect(describeEvidence({ seq: 3, type: 'tag.created', at, payload: { name: 'x' } })).toMatchObject({
      type: 'tag.created',
      details: {},
      summary: 'tag.created',
    });
  });
});
