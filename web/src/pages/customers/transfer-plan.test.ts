import { describe, expect, it } from 'vitest';
import { chunked } from '../../api/customer-transfer.js';
import { handoverChoices, type Person, planTransfer, type TransferCandidate, takeoverChoices, tallyTransfer } from './transfer-plan.js';

const people: Person[] = [
  { userid: 'wang', name: '王五', status: 'active' },
  { userid: 'li', name: '李四', status: 'left' },
  { userid: 'zhang', name: '张三', status: 'active' },
  { userid: 'zhao', name: '赵六', status: 'active' },
];
const candidate = (id: string, ...followers: string[]): TransferCandidate => ({
  externalUserid: id,
  name: id,
  followers: followers.map((userid) => ({ userid, name: userid })),
});
const picked = [candidate('c1', 'li', 'zhang'), candidate('c2', 'li'), candidate('c3', 'zhang', 'zhang'), candidate('c4', 'li')];

describe('customer hand-over plan', () => {
  it('offers as handover first whoever follows most of the picked customers, departed ones included, then the rest by name', () => {
    expect(handoverChoices(picked, people).map((p) => [p.userid, p.follows])).toEqual([
      ['li', 3],
      ['zhang', 2],
      ['wang', 0],
      ['zhao', 0],
    ]);
  });

  it('offers as takeover only active employees other than the handover', () => {
    expect(takeoverChoices(people, 'zhang').map((p) => p.userid)).toEqual(['wang', 'zhao']);
    expect(takeoverChoices(people, undefined).map((p) => p.userid)).toEqual(['wang', 'zhang', 'zhao']);
  });

  it('sends only the customers the handover follows and counts the others as skipped', () => {
    expect(planTransfer(picked, 'zhang')).toEqual({ send: ['c1', 'c3'], skipped: 2 });
    expect(planTransfer(picked, 'wang')).toEqual({ send: [], skipped: 4 });
    expect(planTransfer(picked, undefined)).toEqual({ send: [], skipped: 0 });
  });

  it('cuts a big hand-over into calls of at most 100, in order', () => {
    const ids = Array.from({ length: 250 }, (_, i) => `c${i}`);
    const runs = chunked(ids, 100);
    expect(runs.map((r) => r.length)).toEqual([100, 100, 50]);
    expect(runs.flat()).toEqual(ids);
    expect(chunked([], 100)).toEqual([]);
  });

  it('counts moved, merged and not moved', () => {
    expect(
      tallyTransfer([
        { externalUserid: 'c1', ok: true, errcode: 0, merged: false, movedTagIds: [] },
        { externalUserid: 'c2', ok: true, errcode: 0, merged: true, movedTagIds: ['t1'] },
        { externalUserid: 'c3', ok: false, errcode: 84061, code: 'no_relation', message: 'not followed' },
      ]),
    ).toEqual({ moved: 2, merged: 1, failed: 1 });
  });
});
