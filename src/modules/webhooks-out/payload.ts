import type { OutboxEvent } from '../../events/snapshot-cursor.js';

type Json = Record<string, unknown>;

/** The JSON body every delivery carries (docs/webhooks-outbound.md shows examples). */
export type WebhookPayload = {
  id: string;
  type: string;
  occurredAt: string;
  corpId: string;
  source: string;
  subject: { type: string; id: string };
  data: Json;
};

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

// Events never hold secrets by design; should one ever carry a key like these, it is not sent out.
const secretKey = /password|secret|token|aes_?key|encoding_?aes/i;

/** A copy of a JSON value without any key that names a secret, at any depth. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (secretKey.test(k) ? [] : [[k, withoutSecrets(v)]])));
}

/** Assembles a payload; the id is the delivery's idempotency key, the same across retries and replays. */
export function buildPayload(input: {
  idempotencyKey: string;
  type: string;
  at: Date;
  corpId: string;
  source: string;
  subject: { type: string; id: string };
  data: Json;
}): WebhookPayload {
  return {
    id: input.idempotencyKey,
    type: input.type,
    occurredAt: input.at.toISOString(),
    corpId: input.corpId,
    source: input.source,
    subject: input.subject,
    data: input.data,
  };
}

/** A `follow` subject id is `<userid>|<externalUserid>`. */
function followIds(event: OutboxEvent): { UserID: string; ExternalUserID: string } | null {
  const [userid, externalUserid] = event.subjectId.split('|');
  return userid && externalUserid ? { UserID: userid, ExternalUserID: externalUserid } : null;
}

const tagChange: Record<string, string> = { created: 'create', updated: 'update', restored: 'create', deleted: 'delete' };

/** WeCom's ids of local tags and groups the connector has pushed or pulled, keyed `tag:<id>` / `tag_group:<id>`. */
export type WecomIds = ReadonlyMap<string, string>;

/**
 * The WeCom change event (wecom-api.md §6.2) the event corresponds to, as the fields of its XML
 * envelope, or null when WeCom has none. A receiver already written for WeCom's callbacks can read
 * `data.wecom` as it reads those (after which it re-reads details, as WeCom expects it to), so a
 * tag's `Id` is its WeCom id when the connector knows one (the local id otherwise).
 */
export function wecomShape(event: OutboxEvent, wecomIds: WecomIds = new Map()): Json | null {
  const [resource, verb] = event.type.split('.') as [string, string];
  switch (event.type) {
    case 'follow.tags_changed':
    case 'follow.remarked': {
      const ids = followIds(event);
      return ids && { Event: 'change_external_contact', ChangeType: 'edit_external_contact', ...ids };
    }
    case 'follow.created': {
      const ids = followIds(event);
      return ids && { Event: 'change_external_contact', ChangeType: 'add_external_contact', ...ids };
    }
    case 'follow.deleted': {
      const ids = followIds(event);
      // WeCom tells apart "the customer removed the member" and "the member removed the customer".
      const payload = isObject(event.payload) ? event.payload : {};
      const byCustomer = payload.by === 'customer' || payload.changeType === 'del_follow_user' || payload.reason === 'customer_deleted';
      return ids && { Event: 'change_external_contact', ChangeType: byCustomer ? 'del_follow_user' : 'del_external_contact', ...ids };
    }
    case 'customer.created': {
      const payload = isObject(event.payload) ? event.payload : {};
      const ids = Array.isArray(payload.externalUserids) ? payload.externalUserids : [event.subjectId];
      return { Event: 'change_external_contact', ChangeType: 'add_external_contact', ExternalUserID: ids.length === 1 ? ids[0] : ids };
    }
  }
  if ((resource === 'tag' || resource === 'tag_group') && verb in tagChange)
    return {
      Event: 'change_external_tag',
      ChangeType: tagChange[verb],
      Id: wecomIds.get(`${resource}:${event.subjectId}`) ?? event.subjectId,
      TagType: resource,
    };
  if (resource === 'group_chat') {
    const changeType = verb === 'saved' && event.before == null ? 'create' : verb === 'deleted' ? 'dismiss' : 'update';
    const updateDetail = verb === 'member_joined' ? 'add_member' : verb === 'member_left' ? 'del_member' : undefined;
    return { Event: 'change_external_chat', ChangeType: changeType, ChatId: event.subjectId, ...(updateDetail ? { UpdateDetail: updateDetail } : {}) };
  }
  return null;
}

/**
 * The `data` of an event's delivery: what the event recorded (payload, before, after; secrets
 * stripped), plus `wecom` where WeCom has a matching change event.
 */
export function eventData(event: OutboxEvent, wecomIds?: WecomIds): Json {
  const data: Json = {};
  if (event.payload != null) data.payload = withoutSecrets(event.payload);
  if (event.before != null) data.before = withoutSecrets(event.before);
  if (event.after != null) data.after = withoutSecrets(event.after);
  const wecom = wecomShape(event, wecomIds);
  if (wecom) data.wecom = wecom;
  return data;
}
