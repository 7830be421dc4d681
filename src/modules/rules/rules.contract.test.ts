import { describe, expect, it } from 'vitest';
import { CreateRuleBody, RuleDefinition, RuleDefinitionInput, ruleLimits } from '../../../contracts/rules.js';

const actions = [{ kind: 'add', tagIds: ['etA1'] }];
const issuesOf = (value: unknown) => {
  const parsed = CreateRuleBody.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
};

describe('rule contract', () => {
  it.each([
    {
      trigger: { kind: 'message.keyword', keywords: ['预约', '看房'], match: 'all', mode: 'exact', threshold: { count: 2, withinDays: 7 } },
      conditions: { filters: [] },
      actions,
    },
    {
      trigger: { kind: 'customer.added', contactWayStates: ['march'], window: { startsAt: '2026-03-01T00:00:00+08:00', endsAt: '2026-04-01T00:00:00+08:00' } },
      conditions: {},
      actions: [{ kind: 'addTemplate', group: { groupName: '活动' }, template: '新用户-{M}月活动期' }],
    },
    {
      trigger: { kind: 'groupchat.joined', chatIds: ['wr1'], states: ['g1'] },
      conditions: { audience: { text: 'tag:VIP' } },
      actions: [{ kind: 'move', groupId: 'etG', tagId: 'etT' }],
    },
    {
      trigger: { kind: 'behaviour', eventType: 'link.clicked', target: 'p1' },
      conditions: { filters: [{ field: 'target', op: 'in', values: ['p1'] }] },
      actions: [{ kind: 'remove', tagIds: ['etB'] }],
    },
    {
      trigger: { kind: 'webhook', sourceId: 'crm', eventType: 'order.paid' },
      conditions: { filters: [{ field: 'product', op: 'exists' }] },
      actions: [{ kind: 'addTemplate', group: { groupId: 'etG' }, template: '已购买-{product}' }],
    },
    { trigger: { kind: 'schedule', cron: '0 3 * * *', timezone: 'UTC' }, conditions: { audience: { expression: { tag: 'etA1' } } }, actions },
  ])('round-trips a definition with a $trigger.kind trigger', (definition) => {
    const parsed = RuleDefinitionInput.parse(definition);
    expect(RuleDefinitionInput.parse(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
    expect(parsed.trigger.kind).toBe(definition.trigger.kind);
  });

  it('fills defaults: any, contains, Asia/Shanghai, enabled, no conditions', () => {
    const body = CreateRuleBody.parse({ name: 'r', definition: { trigger: { kind: 'message.keyword', keywords: ['a'] }, actions } });
    expect(body.enabled).toBe(true);
    expect(body.definition.trigger).toMatchObject({ match: 'any', mode: 'contains' });
    expect(body.definition.conditions).toEqual({});
    expect(RuleDefinitionInput.parse({ trigger: { kind: 'schedule', cron: '0 3 * * *' }, actions }).trigger).toMatchObject({ timezone: 'Asia/Shanghai' });
    expect(RuleDefinition.parse(body.definition)).toEqual(body.definition);
  });

  it.each<[string, unknown, string]>([
    ['empty name', { name: '', definition: { trigger: { kind: 'schedule', cron: '0 3 * * *' }, actions } }, 'name'],
    ['name of 65 characters', { name: '规'.repeat(65), definition: { trigger: { kind: 'schedule', cron: '0 3 * * *' }, actions } }, 'name'],
    [
      '201 keywords',
      {
        name: 'r',
        definition: { trigger: { kind: 'message.keyword', keywords: Array.from({ length: ruleLimits.keywordsMax + 1 }, (_, i) => `k${i}`) }, actions },
      },
      'definition.trigger.keywords',
    ],
    [
      'a keyword of 31 characters',
      { name: 'r', definition: { trigger: { kind: 'message.keyword', keywords: ['字'.repeat(31)] }, actions } },
      'definition.trigger.keywords.0',
    ],
    ['an empty keyword', { name: 'r', definition: { trigger: { kind: 'message.keyword', keywords: [''] }, actions } }, 'definition.trigger.keywords.0'],
    ['no keywords', { name: 'r', definition: { trigger: { kind: 'message.keyword', keywords: [] }, actions } }, 'definition.trigger.keywords'],
    [
      '21 actions',
      { name: 'r', definition: { trigger: { kind: 'schedule', cron: '0 3 * * *' }, actions: Array.from({ length: 21 }, () => actions[0]) } },
      'definition.actions',
    ],
    ['no actions', { name: 'r', definition: { trigger: { kind: 'schedule', cron: '0 3 * * *' }, actions: [] } }, 'definition.actions'],
    [
      'window end before start',
      {
        name: 'r',
        definition: { trigger: { kind: 'customer.added', window: { startsAt: '2026-04-01T00:00:00+08:00', endsAt: '2026-03-01T00:00:00+08:00' } }, actions },
      },
      'definition.trigger.window.endsAt',
    ],
    [
      'a window without offset',
      { name: 'r', definition: { trigger: { kind: 'customer.added', window: { startsAt: 'March', endsAt: '2026-03-01T00:00:00+08:00' } }, actions } },
      'definition.trigger.window.startsAt',
    ],
    ['an unknown trigger', { name: 'r', definition: { trigger: { kind: 'moon.rose' }, actions } }, 'definition.trigger.kind'],
    [
      'an unknown action',
      { name: 'r', definition: { trigger: { kind: 'schedule', cron: '0 3 * * *' }, actions: [{ kind: 'explode' }] } },
      'definition.actions.0.kind',
    ],
    ['a bad event type', { name: 'r', definition: { trigger: { kind: 'behaviour', eventType: 'Clicked' }, actions } }, 'definition.trigger.eventType'],
    ['an extra field', { name: 'r', definition: { trigger: { kind: 'schedule', cron: '0 3 * * *', every: 1 }, actions } }, 'definition.trigger'],
    [
      'both audience forms',
      {
        name: 'r',
        definition: { trigger: { kind: 'schedule', cron: '0 3 * * *' }, conditions: { audience: { text: 'tag:a', expression: { tag: 'a' } } }, actions },
      },
      'definition.conditions.audience',
    ],
    [
      'a filter on a bad field name',
      { name: 'r', definition: { trigger: { kind: 'schedule', cron: '0 3 * * *' }, conditions: { filters: [{ field: 'a.b', op: 'exists' }] }, actions } },
      'definition.conditions.filters.0.field',
    ],
    [
      'a string for tag ids',
      { name: 'r', definition: { trigger: { kind: 'schedule', cron: '0 3 * * *' }, actions: [{ kind: 'add', tagIds: 'etA' }] } },
      'definition.actions.0.tagIds',
    ],
  ])('refuses %s naming the field', (_name, body, path) => {
    expect(issuesOf(body)).toContain(path);
  });
});
