import { describe, expect, it } from 'vitest';
import { RuleDefinition, RuleDefinitionInput } from '../../../../contracts/rules.js';
import { blankForm, definitionOf, fieldOfPath, formOf, isAudiencePath, placeholdersFor, shanghaiIso, shanghaiWall, tagsTouched } from './rule-form.js';

/** A definition the server would store: checked by the contract, as the list answers it. */
const stored = (input: unknown) => RuleDefinition.parse(RuleDefinitionInput.parse(input));

const a = 'etA000000000000000000000000000';
const b = 'etB000000000000000000000000000';
const g = 'etG000000000000000000000000000';

describe('rule editor form ↔ definition', () => {
  it.each([
    [
      'keyword with threshold, filters, every action kind',
      {
        trigger: { kind: 'message.keyword', keywords: ['买房', '看房'], match: 'all', mode: 'exact', threshold: { count: 3, withinDays: 7 } },
        conditions: {
          filters: [
            { field: 'product', op: 'equals', value: 'x' },
            { field: 'state', op: 'in', values: ['a', 'b'] },
            { field: 'target', op: 'exists' },
          ],
        },
        actions: [
          { kind: 'add', tagIds: [a, b] },
          { kind: 'remove', tagIds: [b] },
          { kind: 'move', groupId: g, tagId: a },
          { kind: 'addTemplate', group: { groupId: g }, template: '新用户-{M}月活动期' },
          { kind: 'addTemplate', group: { groupName: '活动' }, template: '{keyword}' },
        ],
      },
    ],
    [
      'customer.added in a March window',
      {
        trigger: {
          kind: 'customer.added',
          contactWayStates: ['spring'],
          window: { startsAt: '2026-03-01T00:00:00+08:00', endsAt: '2026-04-01T00:00:00+08:00' },
        },
        conditions: {},
        actions: [{ kind: 'add', tagIds: [a] }],
      },
    ],
    [
      'groupchat.joined',
      { trigger: { kind: 'groupchat.joined', chatIds: ['wrChat1'], states: ['s1'] }, conditions: {}, actions: [{ kind: 'add', tagIds: [a] }] },
    ],
    ['behaviour', { trigger: { kind: 'behaviour', eventType: 'link.clicked', target: 'spring' }, conditions: {}, actions: [{ kind: 'add', tagIds: [a] }] }],
    ['webhook', { trigger: { kind: 'webhook', sourceId: 'shop', eventType: 'order.paid' }, conditions: {}, actions: [{ kind: 'add', tagIds: [a] }] }],
    ['schedule', { trigger: { kind: 'schedule', cron: '0 3 * * *', timezone: 'Asia/Shanghai' }, conditions: {}, actions: [{ kind: 'remove', tagIds: [a] }] }],
  ])('%s comes back from the form unchanged', (_name, input) => {
    const definition = stored(input);
    const again = definitionOf(formOf('r', definition), undefined);
    expect(RuleDefinitionInput.safeParse(again).success).toBe(true);
    expect(stored(again)).toEqual(definition);
  });

  it('keeps the audience expression as the condition, and leaves out empty conditions', () => {
    const form = blankForm();
    form.trigger.keywords = [' 买房 ', ''];
    form.actions = [{ kind: 'add', tagIds: [a] }];
    expect(definitionOf(form, undefined)).toEqual({
      trigger: { kind: 'message.keyword', keywords: ['买房'], match: 'any', mode: 'contains' },
      conditions: {},
      actions: [{ kind: 'add', tagIds: [a] }],
    });
    expect(definitionOf(form, { tag: a }).conditions).toEqual({ audience: { expression: { tag: a } } });
  });

  it('sends only the chosen kind’s fields after switching kinds, and the default timezone', () => {
    const form = blankForm();
    form.trigger = { ...form.trigger, keywords: ['x'], kind: 'schedule', cron: ' 0 3 * * * ', timezone: '' };
    expect(definitionOf(form, undefined).trigger).toEqual({ kind: 'schedule', cron: '0 3 * * *', timezone: 'Asia/Shanghai' });
  });

  it('reads campaign windows as Shanghai wall-clock time and back', () => {
    expect(shanghaiWall('2026-02-28T16:00:00.000Z')).toBe('2026-03-01 00:00');
    expect(shanghaiWall('2026-03-01T00:00:00+08:00')).toBe('2026-03-01 00:00');
    expect(shanghaiIso('2026-03-01 00:00')).toBe('2026-03-01T00:00:00+08:00');
  });
});

describe('rule list and editor helpers', () => {
  it('lists the tags a rule touches once each, and its templates', () => {
    const definition = stored({
      trigger: { kind: 'schedule', cron: '0 3 * * *' },
      actions: [
        { kind: 'add', tagIds: [a, b] },
        { kind: 'remove', tagIds: [a] },
        { kind: 'addTemplate', group: { groupName: '活动' }, template: '新用户-{M}月' },
      ],
    });
    expect(tagsTouched(definition)).toEqual({ tagIds: [a, b], templates: ['新用户-{M}月'], removed: new Set() });
    expect(tagsTouched(stored({ trigger: { kind: 'schedule', cron: '0 3 * * *' }, actions: [{ kind: 'remove', tagIds: [a] }] })).removed).toEqual(new Set([a]));
  });

  it('lists the placeholders each trigger offers a template', () => {
    expect(placeholdersFor('customer.added')).toEqual({ placeholders: ['{yyyy}', '{M}', '{MM}', '{d}', '{dd}', '{state}', '{userid}'], anyField: false });
    expect(placeholdersFor('schedule').placeholders).toHaveLength(5);
    expect(placeholdersFor('webhook').anyField).toBe(true);
  });

  it.each([
    ['body.name', ['name']],
    ['body.definition.trigger.cron', ['trigger', 'cron']],
    ['body.cron', ['trigger', 'cron']],
    ['body.definition.trigger.timezone', ['trigger', 'timezone']],
    ['body.definition.trigger.keywords', ['trigger', 'keywords']],
    ['body.definition.trigger.keywords.3', ['trigger', 'keywords']],
    ['body.definition.trigger.window.endsAt', ['trigger', 'windowEnd']],
    ['body.definition.trigger.threshold.withinDays', ['trigger', 'thresholdDays']],
    ['body.definition.actions.0.tagIds.1', ['actions', 0, 'tagIds']],
    ['body.definition.actions.2.group.groupId', ['actions', 2, 'groupId']],
    ['body.definition.actions.1.group.groupName', ['actions', 1, 'groupName']],
    ['body.definition.actions.0.template', ['actions', 0, 'template']],
    ['body.definition.conditions.filters.0.field', ['filters', 0, 'field']],
    ['body.definition.conditions.filters.1.values.0', ['filters', 1, 'values']],
    ['body.definition', undefined],
    ['body.definition.conditions.audience.text', undefined],
    [undefined, undefined],
  ])('puts the server’s %s on the field %j', (path, field) => {
    expect(fieldOfPath(path)).toEqual(field);
  });

  it('tells audience errors apart', () => {
    expect(isAudiencePath('body.definition.conditions.audience.text')).toBe(true);
    expect(isAudiencePath('body.definition.trigger.cron')).toBe(false);
  });
});
