import { describe, expect, it } from 'vitest';
import { type IndexEvent, planEvents } from './apply-events.js';

const event = (type: string, payload: unknown): IndexEvent => ({ seq: 1, type, subjectId: 'wrChat1', payload, before: null, after: null, operationId: null });

describe('planEvents: group chat joins and leaves', () => {
  it('refreshes the customer who joined or left, and nobody for an employee member or a chat change', () => {
    const plan = planEvents([
      event('group_chat.member_joined', { chatId: 'wrChat1', memberType: 2, externalUserid: 'wmA' }),
      event('group_chat.member_left', { chatId: 'wrChat1', memberType: 2, externalUserid: 'wmB' }),
      event('group_chat.member_joined', { chatId: 'wrChat1', memberType: 1, userid: 'zhangsan' }),
      event('group_chat.saved', null),
    ]);
    expect([...plan.customers].sort()).toEqual(['wmA', 'wmB']);
    expect(plan.followersOf.size + plan.tagIds.size + plan.pairs.size).toBe(0);
  });
});
