import type { EventFilter, RuleDefinition, RuleTrigger } from '../../../../contracts/rules.js';
import type { TemplateFields } from './template.js';

/**
 * The named fields each trigger's events yield, for templates (`已购买-{product}`) and event
 * filters. A webhook's fields come from its source's mapping, so any name is allowed there and
 * checked when the event arrives.
 */
export const triggerFields: Record<RuleTrigger['kind'], TemplateFields> = {
  'message.keyword': ['keyword', 'keywords', 'userid'],
  'customer.added': ['state', 'userid'],
  'groupchat.joined': ['chatId', 'state'],
  behaviour: ['eventType', 'target'],
  webhook: 'any',
  schedule: [],
};

/** An event a rule may fire on, as the engine hands it over. `at` is when it happened. */
export type TriggerEvent =
  | { kind: 'message'; at: Date; externalUserid: string; userid: string }
  | { kind: 'customer.added'; at: Date; externalUserid: string; userid: string; state?: string }
  | { kind: 'groupchat.joined'; at: Date; externalUserid: string; chatId: string; state?: string }
  | { kind: 'behaviour'; at: Date; externalUserid: string; eventType: string; target: string }
  | { kind: 'webhook'; at: Date; externalUserid: string; sourceId: string; eventType: string; fields: Readonly<Record<string, string>> }
  | { kind: 'schedule'; at: Date };

/** Whether a rule fires: with the fields its templates and filters read, and any history still to check. */
export type TriggerMatch =
  | { fires: false; reason: string }
  | { fires: true; fields: Record<string, string>; needs?: { count: number; withinDays: number; description: string } };

const no = (reason: string): TriggerMatch => ({ fires: false, reason });

function inWindow(window: { startsAt: string; endsAt: string } | undefined, at: Date): boolean {
  return !window || (at.getTime() >= Date.parse(window.startsAt) && at.getTime() < Date.parse(window.endsAt));
}

function passes(filter: EventFilter, fields: Record<string, string>): boolean {
  const value = Object.hasOwn(fields, filter.field) ? fields[filter.field] : undefined;
  if (filter.op === 'exists') return value !== undefined && value !== '';
  if (value === undefined) return false;
  return filter.op === 'equals' ? value === filter.value : filter.values.includes(value);
}

/** The trigger on its own: whether the event is of its kind and within its window, lists and source. */
function matchOwn(trigger: RuleTrigger, event: TriggerEvent, keywordHits: readonly string[]): TriggerMatch {
  switch (trigger.kind) {
    case 'message.keyword': {
      if (event.kind !== 'message') return no('not a message');
      const hits = new Set(keywordHits);
      const found = trigger.keywords.filter((k) => hits.has(k));
      if (found.length === 0) return no('no keyword of the rule in the message');
      if (trigger.match === 'all' && found.length < trigger.keywords.length)
        return no(`not all keywords: missing ${trigger.keywords.filter((k) => !hits.has(k)).join(', ')}`);
      const fields = { keyword: found[0]!, keywords: found.join('、'), userid: event.userid };
      if (!trigger.threshold) return { fires: true, fields };
      const { count, withinDays } = trigger.threshold;
      return { fires: true, fields, needs: { count, withinDays, description: `needs count ≥ ${count} in ${withinDays} days` } };
    }
    case 'customer.added':
      if (event.kind !== 'customer.added') return no('not a customer added');
      if (!inWindow(trigger.window, event.at)) return no('outside the window');
      if (trigger.contactWayStates && !trigger.contactWayStates.includes(event.state ?? '')) return no('not through one of the contact ways');
      return { fires: true, fields: { state: event.state ?? '', userid: event.userid } };
    case 'groupchat.joined':
      if (event.kind !== 'groupchat.joined') return no('not a group chat joined');
      if (!inWindow(trigger.window, event.at)) return no('outside the window');
      if (trigger.chatIds && !trigger.chatIds.includes(event.chatId)) return no('not one of the group chats');
      if (trigger.states && !trigger.states.includes(event.state ?? '')) return no('not through one of the join ways');
      return { fires: true, fields: { chatId: event.chatId, state: event.state ?? '' } };
    case 'behaviour':
      if (event.kind !== 'behaviour' || event.eventType !== trigger.eventType) return no(`not a ${trigger.eventType} event`);
      if (trigger.target !== undefined && event.target !== trigger.target) return no('another target');
      return { fires: true, fields: { eventType: event.eventType, target: event.target } };
    case 'webhook':
      if (event.kind !== 'webhook' || event.sourceId !== trigger.sourceId) return no('not from the webhook source');
      if (event.eventType !== trigger.eventType) return no(`not a ${trigger.eventType} delivery`);
      return { fires: true, fields: { ...event.fields } };
    case 'schedule':
      return event.kind === 'schedule' ? { fires: true, fields: {} } : no('not a scheduled run');
  }
}

/**
 * Whether a rule version fires for a trigger event, and the fields its templates read. Checks the
 * trigger (kind, window, state and chat lists, webhook source and type, behaviour type and target,
 * keyword any/all over `keywordHits`, the keywords the matcher found) and the event filters. A
 * count threshold needs history, so it comes back as `needs` for the engine to check. Pure.
 * @example matchTrigger(def, { kind: 'message', at, externalUserid, userid }, ['预约', '看房'])
 */
export function matchTrigger(
  definition: Pick<RuleDefinition, 'trigger' | 'conditions'>,
  event: TriggerEvent,
  keywordHits: readonly string[] = [],
): TriggerMatch {
  const own = matchOwn(definition.trigger, event, keywordHits);
  if (!own.fires) return own;
  const failed = (definition.conditions.filters ?? []).find((f) => !passes(f, own.fields));
  return failed ? no(`filter on ${failed.field} does not hold`) : own;
}
