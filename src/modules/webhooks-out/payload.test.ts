import { describe, expect, it } from 'vitest';
import type { OutboxEvent } from '../../events/snapshot-cursor.js';
import { filterMatches, filterProblems } from './event-filter.js';
import { eventData, wecomShape } from './payload.js';

const event = (type: string, subjectId: string, extra: Partial<OutboxEvent> = {}): OutboxEvent => ({
  seq: 1,
  txid: 1n,
  type,
  subjectType: type.split('.')[0]!,
  subjectId,
  payload: null,
  before: null,
  after: null,
  operationId: null,
  actor: 'app:x',
  at: new Date(),
  ...extra,
});

describe('outbound webhook filters and payloads', () => {
  it('matches exact types, prefix patterns (tag.* is not tag_group.* nor personal_tag.*) and *', () => {
    expect(filterMatches(['tag.*'], 'tag.created')).toBe(true);
    expect(filterMatches(['tag.*'], 'tag_group.created')).toBe(false);
    expect(filterMatches(['tag.*'], 'personal_tag.created')).toBe(false);
    expect(filterMatches(['follow.tags_changed'], 'follow.created')).toBe(false);
    expect(filterMatches(['*'], 'webhook_delivery.replayed')).toBe(true);
    expect(filterProblems(['*', 'tag.*', 'tag', 'tag.', 'nope.*', 'tag.created.*'])).toEqual([
      expect.objectContaining({ path: 'body.eventTypes.2' }),
      expect.objectContaining({ path: 'body.eventTypes.3' }),
      expect.objectContaining({ path: 'body.eventTypes.4' }),
      expect.objectContaining({ path: 'body.eventTypes.5' }),
    ]);
  });

  it('shapes WeCom change events where one exists, and leaves secrets out of data', () => {
    expect(wecomShape(event('follow.deleted', 'u1|wm1', { payload: { by: 'customer' } }))).toEqual({
      Event: 'change_external_contact',
      ChangeType: 'del_follow_user',
      UserID: 'u1',
      ExternalUserID: 'wm1',
    });
    expect(wecomShape(event('follow.deleted', 'u1|wm1'))).toMatchObject({ ChangeType: 'del_external_contact' });
    expect(wecomShape(event('follow.created', 'u1|wm1'))).toMatchObject({ ChangeType: 'add_external_contact', UserID: 'u1' });
    expect(wecomShape(event('tag_group.deleted', 'etG'))).toEqual({ Event: 'change_external_tag', ChangeType: 'delete', Id: 'etG', TagType: 'tag_group' });
    expect(wecomShape(event('tag.updated', 'etT'))).toMatchObject({ ChangeType: 'update', TagType: 'tag' });
    // A tag the connector pushed or pulled is named by its WeCom id, as WeCom's own callback would.
    expect(wecomShape(event('tag.deleted', 'etT'), new Map([['tag:etT', 'etWECOM']]))).toMatchObject({ Id: 'etWECOM', TagType: 'tag' });
    expect(wecomShape(event('tag_group.updated', 'etT'), new Map([['tag:etT', 'etWECOM']]))).toMatchObject({ Id: 'etT' });
    expect(wecomShape(event('group_chat.member_joined', 'wr1'))).toEqual({
      Event: 'change_external_chat',
      ChangeType: 'update',
      ChatId: 'wr1',
      UpdateDetail: 'add_member',
    });
    expect(wecomShape(event('rule.created', 'ru1'))).toBeNull();
    const data = eventData(event('connector.saved', 'c', { after: { corpid: 'ww1', secret: 's', nested: { accessToken: 't', ok: 1 } } }));
    expect(data).toEqual({ after: { corpid: 'ww1', nested: { ok: 1 } } });
  });
});
