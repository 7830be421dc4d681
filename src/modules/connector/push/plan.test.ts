import { describe, expect, it } from 'vitest';
import { type LibraryFacts, netRelationChanges, planLibraryRows, planMarkRows } from './plan.js';
import { TokenBucket } from './token-bucket.js';

const facts: LibraryFacts = {
  groups: new Map([
    ['g1', { kind: 'corp', name: '意向', order: 1 }],
    ['gs', { kind: 'strategy', name: '规则组', order: 0 }],
    ['gm', { kind: 'smart', name: '智能', order: 0 }],
  ]),
  tags: new Map([
    ['t1', { groupId: 'g1' }],
    ['t2', { groupId: 'g1' }],
    ['ts', { groupId: 'gs' }],
    ['tm', { groupId: 'gm' }],
  ]),
};
const ev = (seq: number, type: string, subjectId: string, rest: { payload?: unknown; before?: unknown; after?: unknown } = {}) => ({
  seq,
  type,
  subjectId,
  payload: rest.payload ?? null,
  before: rest.before ?? null,
  after: rest.after ?? null,
});

describe('planLibraryRows', () => {
  it('creates a new group together with its tags in one add_corp_tag (WeCom has no empty groups)', () => {
    const rows = planLibraryRows(
      [
        ev(1, 'tag_group.created', 'g1', { after: { name: '意向', order: 1 } }),
        ev(2, 'tag.created', 't1', { after: { groupId: 'g1', name: '高', order: 2 } }),
        ev(3, 'tag.created', 't2', { after: { groupId: 'g1', name: '低', order: 1 } }),
      ],
      facts,
    );
    expect(rows).toEqual([
      {
        eventSeq: 2,
        eventType: 'tag.created',
        op: 'add_corp_tag',
        orderKey: 'tags',
        payload: {
          groupId: 'g1',
          groupName: '意向',
          groupOrder: 1,
          tags: [
            { tagId: 't1', name: '高', order: 2 },
            { tagId: 't2', name: '低', order: 1 },
          ],
        },
      },
    ]);
  });

  it('pushes renames, not colour changes, and deletes a group once for its tags', () => {
    const rows = planLibraryRows(
      [
        ev(1, 'tag.updated', 't1', { before: { name: '高', order: 1 }, after: { name: '很高', order: 1 } }),
        ev(2, 'tag.updated', 't2', { before: { name: '低', color: 'red' }, after: { name: '低', color: 'blue' } }),
        ev(3, 'tag.deleted', 't1', { before: { groupId: 'g1' }, payload: { withGroup: true } }),
        ev(4, 'tag_group.deleted', 'g1', { payload: { tagIds: ['t1', 't2'] } }),
      ],
      facts,
    );
    expect(rows.map((r) => [r.op, r.payload])).toEqual([
      ['edit_corp_tag', { tagId: 't1', name: '很高' }],
      ['del_corp_tag', { tagIds: [], groupIds: ['g1'], groupTagIds: ['t1', 't2'] }],
    ]);
  });

  it('leaves strategy and smart groups out of the library push', () => {
    const rows = planLibraryRows(
      [ev(1, 'tag.created', 'ts', { after: { groupId: 'gs', name: 's' } }), ev(2, 'tag.deleted', 'tm', { before: { groupId: 'gm' } })],
      facts,
    );
    expect(rows).toEqual([]);
  });
});

describe('planMarkRows', () => {
  it('keeps enterprise and rule-group tags, drops personal and smart ones, one row per relation keyed by customer', () => {
    const pushable = (t: string) => ['t1', 't2', 'ts'].includes(t);
    const rows = planMarkRows(
      { seq: 9, type: 'follow.tags_changed' },
      [
        { userid: 'u1', externalUserid: 'wm1', add: ['t1', 'pt1', 'ts'], remove: ['tm'] },
        { userid: 'u1', externalUserid: 'wm2', add: ['pt1'], remove: [] },
      ],
      pushable,
    );
    expect(rows).toEqual([
      {
        eventSeq: 9,
        eventType: 'follow.tags_changed',
        op: 'mark_tag',
        orderKey: 'wm1',
        payload: { userid: 'u1', external_userid: 'wm1', add_tag: ['t1', 'ts'], remove_tag: [] },
      },
    ]);
  });

  it('nets an operation journal per relation: the last change of a mark wins', () => {
    expect(
      netRelationChanges([
        { externalUserid: 'wm1', userid: 'u1', tagId: 't1', change: -1 },
        { externalUserid: 'wm1', userid: 'u1', tagId: 't1', change: 1 },
        { externalUserid: 'wm1', userid: 'u1', tagId: 't2', change: -1 },
        { externalUserid: 'wm1', userid: 'u2', tagId: 't2', change: 1 },
      ]),
    ).toEqual([
      { userid: 'u1', externalUserid: 'wm1', add: ['t1'], remove: ['t2'] },
      { userid: 'u2', externalUserid: 'wm1', add: ['t2'], remove: [] },
    ]);
  });
});

describe('TokenBucket', () => {
  it('never lets more than the limit through in any minute', () => {
    const bucket = new TokenBucket(1000, 0);
    let sent = 0;
    for (let t = 0; t < 60_000; t += 10) while (bucket.take(t)) sent += 1;
    expect(sent).toBeLessThanOrEqual(1000);
    expect(sent).toBeGreaterThan(950);
    expect(bucket.take(59_990)).toBe(false);
    expect(bucket.msUntilToken(59_990)).toBeGreaterThan(0);
  });
});
