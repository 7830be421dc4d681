import { describe, expect, it } from 'vitest';
import type { RuleDefinition, RuleTrigger } from '../../../../contracts/rules.js';
import { matchTrigger, type TriggerEvent } from './trigger.js';

const at = new Date('2026-03-10T02:00:00Z');
const def = (trigger: RuleTrigger, filters?: RuleDefinition['conditions']['filters']): Pick<RuleDefinition, 'trigger' | 'conditions'> => ({
  trigger,
  conditions: { filters },
});
const message: TriggerEvent = { kind: 'message', at, externalUserid: 'wm1', userid: 'zhang' };
const march = { startsAt: '2026-03-01T00:00:00+08:00', endsAt: '2026-04-01T00:00:00+08:00' };
const added = (state: string | undefined, when = at): TriggerEvent => ({ kind: 'customer.added', at: when, externalUserid: 'wm1', userid: 'zhang', state });
const joined = (chatId: string, state?: string, when = at): TriggerEvent => ({ kind: 'groupchat.joined', at: when, externalUserid: 'wm1', chatId, state });
const behaviour = (eventType: string, target: string): TriggerEvent => ({ kind: 'behaviour', at, externalUserid: 'wm1', eventType, target });
const webhook = (sourceId: string, eventType: string, fields: Record<string, string> = {}): TriggerEvent => ({
  kind: 'webhook',
  at,
  externalUserid: 'wm1',
  sourceId,
  eventType,
  fields,
});

const keywordAny: RuleTrigger = { kind: 'message.keyword', keywords: ['预约', '看房'], match: 'any', mode: 'contains' };
const keywordAll: RuleTrigger = { ...keywordAny, match: 'all' };

describe('matchTrigger truth table', () => {
  it.each<[string, RuleTrigger, TriggerEvent, string[], boolean]>([
    ['any: one keyword hit', keywordAny, message, ['看房'], true],
    ['any: no hit', keywordAny, message, ['报价单'], false],
    ['all: both hit', keywordAll, message, ['看房', '预约'], true],
    ['all: one missing', keywordAll, message, ['预约'], false],
    ['keyword rule on another kind of event', keywordAny, added('s1'), ['预约'], false],
    ['added: any state, no window', { kind: 'customer.added' }, added(undefined), [], true],
    ['added: state listed', { kind: 'customer.added', contactWayStates: ['march'] }, added('march'), [], true],
    ['added: state not listed', { kind: 'customer.added', contactWayStates: ['march'] }, added('april'), [], false],
    ['added: no state but a list', { kind: 'customer.added', contactWayStates: ['march'] }, added(undefined), [], false],
    ['added: at the window start', { kind: 'customer.added', window: march }, added('x', new Date('2026-02-28T16:00:00Z')), [], true],
    ['added: a second before the window', { kind: 'customer.added', window: march }, added('x', new Date('2026-02-28T15:59:59Z')), [], false],
    ['added: at the window end (exclusive)', { kind: 'customer.added', window: march }, added('x', new Date('2026-03-31T16:00:00Z')), [], false],
    ['joined: chat listed', { kind: 'groupchat.joined', chatIds: ['wr1'] }, joined('wr1'), [], true],
    ['joined: other chat', { kind: 'groupchat.joined', chatIds: ['wr1'] }, joined('wr2'), [], false],
    ['joined: join-way state listed', { kind: 'groupchat.joined', states: ['g-march'] }, joined('wr2', 'g-march'), [], true],
    ['joined: outside window', { kind: 'groupchat.joined', window: march }, joined('wr1', undefined, new Date('2026-04-02T00:00:00Z')), [], false],
    ['behaviour: type matches, any target', { kind: 'behaviour', eventType: 'link.clicked' }, behaviour('link.clicked', 'p1'), [], true],
    ['behaviour: other type', { kind: 'behaviour', eventType: 'link.clicked' }, behaviour('live.attended', 'p1'), [], false],
    ['behaviour: target matches', { kind: 'behaviour', eventType: 'link.clicked', target: 'p1' }, behaviour('link.clicked', 'p1'), [], true],
    ['behaviour: other target', { kind: 'behaviour', eventType: 'link.clicked', target: 'p1' }, behaviour('link.clicked', 'p2'), [], false],
    ['webhook: source and type', { kind: 'webhook', sourceId: 'crm', eventType: 'order.paid' }, webhook('crm', 'order.paid'), [], true],
    ['webhook: other source', { kind: 'webhook', sourceId: 'crm', eventType: 'order.paid' }, webhook('erp', 'order.paid'), [], false],
    ['webhook: other type', { kind: 'webhook', sourceId: 'crm', eventType: 'order.paid' }, webhook('crm', 'order.refunded'), [], false],
    ['schedule: a scheduled run', { kind: 'schedule', cron: '0 3 * * *', timezone: 'Asia/Shanghai' }, { kind: 'schedule', at }, [], true],
    ['schedule: not on events', { kind: 'schedule', cron: '0 3 * * *', timezone: 'Asia/Shanghai' }, message, ['预约'], false],
  ])('%s', (_name, trigger, event, hits, fires) => {
    expect(matchTrigger(def(trigger), event, hits).fires).toBe(fires);
  });

  it('yields the fields templates read', () => {
    expect(matchTrigger(def(keywordAny), message, ['看房', '预约'])).toEqual({
      fires: true,
      fields: { keyword: '预约', keywords: '预约、看房', userid: 'zhang' },
    });
    expect(matchTrigger(def({ kind: 'customer.added' }), added('march'))).toEqual({ fires: true, fields: { state: 'march', userid: 'zhang' } });
    expect(matchTrigger(def({ kind: 'webhook', sourceId: 'crm', eventType: 'order.paid' }), webhook('crm', 'order.paid', { product: '年卡' }))).toEqual({
      fires: true,
      fields: { product: '年卡' },
    });
  });

  it('describes a count threshold as history still to check', () => {
    const trigger: RuleTrigger = { kind: 'message.keyword', keywords: ['报价单'], match: 'any', mode: 'contains', threshold: { count: 2, withinDays: 7 } };
    expect(matchTrigger(def(trigger), message, ['报价单'])).toMatchObject({
      fires: true,
      needs: { count: 2, withinDays: 7, description: 'needs count ≥ 2 in 7 days' },
    });
  });

  it('applies event filters to the event’s fields', () => {
    const trigger: RuleTrigger = { kind: 'webhook', sourceId: 'crm', eventType: 'order.paid' };
    const paid = webhook('crm', 'order.paid', { product: '年卡', channel: 'app' });
    expect(matchTrigger(def(trigger, [{ field: 'product', op: 'equals', value: '年卡' }]), paid).fires).toBe(true);
    expect(matchTrigger(def(trigger, [{ field: 'product', op: 'equals', value: '月卡' }]), paid).fires).toBe(false);
    expect(matchTrigger(def(trigger, [{ field: 'channel', op: 'in', values: ['app', 'web'] }]), paid).fires).toBe(true);
    expect(matchTrigger(def(trigger, [{ field: 'coupon', op: 'exists' }]), paid).fires).toBe(false);
    expect(matchTrigger(def(trigger, [{ field: 'constructor', op: 'exists' }]), paid).fires).toBe(false);
    expect(
      matchTrigger(def({ kind: 'behaviour', eventType: 'link.clicked' }, [{ field: 'target', op: 'in', values: ['p1'] }]), behaviour('link.clicked', 'p2'))
        .fires,
    ).toBe(false);
  });
});
