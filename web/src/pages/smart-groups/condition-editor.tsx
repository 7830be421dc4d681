import { Input, InputNumber, Select, Space, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AttrPredicate, EventPredicate, GroupChatPredicate, TimeWindow } from '../../../../contracts/audience-expression/ast.js';
import { addWayCodes } from '../../../../contracts/audience-expression/vocabulary.js';
import type { ChatChoice, Leaf } from './builder-model.js';

/** What a condition editor picks from: the tag library (enterprise groups), the department tree and the group chats. */
export type BuilderChoices = {
  groups: readonly { groupId: string; name: string; tags: readonly { tagId: string; name: string }[] }[];
  departments: readonly { deptId: number; name: string; depth: number }[];
  chats?: readonly ChatChoice[];
};

type Props = { leaf: Leaf; choices: BuilderChoices; onChange: (leaf: Leaf) => void };

const free = (values: readonly string[], onChange: (v: string[]) => void, label: string) => (
  <Select
    mode="tags"
    aria-label={label}
    placeholder={label}
    value={[...values]}
    onChange={onChange}
    style={{ minWidth: 220 }}
    tokenSeparators={[',', '，']}
    open={false}
    suffixIcon={null}
  />
);

function WindowEditor({
  value,
  onChange,
  label,
  optional,
}: {
  value: TimeWindow | undefined;
  onChange: (w: TimeWindow | undefined) => void;
  label: string;
  optional?: boolean;
}) {
  const { t } = useTranslation('smart');
  const mode = !value ? 'none' : 'within' in value ? 'within' : 'range';
  return (
    <Space.Compact>
      <Select
        aria-label={label}
        value={mode}
        style={{ width: 120 }}
        options={[
          { value: 'within', label: t('window.within') },
          { value: 'range', label: t('window.range') },
          ...(optional ? [{ value: 'none', label: t('window.any') }] : []),
        ]}
        onChange={(m) =>
          onChange(m === 'within' ? { within: { amount: 30, unit: 'd' } } : m === 'range' ? { from: new Date().toISOString().slice(0, 10) } : undefined)
        }
      />
      {value && 'within' in value && (
        <>
          <InputNumber
            aria-label={t('window.amount')}
            min={1}
            max={value.within.unit === 'd' ? 3650 : 87600}
            value={value.within.amount}
            onChange={(n) => onChange({ within: { ...value.within, amount: n ?? 1 } })}
            style={{ width: 90 }}
          />
          <Select
            aria-label={t('window.unit')}
            value={value.within.unit}
            style={{ width: 90 }}
            options={[
              { value: 'd', label: t('window.days') },
              { value: 'h', label: t('window.hours') },
            ]}
            onChange={(unit) => onChange({ within: { ...value.within, unit } })}
          />
        </>
      )}
      {value && !('within' in value) && (
        <>
          <Input
            aria-label={t('window.from')}
            placeholder={t('window.from')}
            value={value.from ?? ''}
            onChange={(e) => onChange({ ...value, from: e.target.value || undefined })}
            style={{ width: 130 }}
          />
          <Input
            aria-label={t('window.to')}
            placeholder={t('window.to')}
            value={value.to ?? ''}
            onChange={(e) => onChange({ ...value, to: e.target.value || undefined })}
            style={{ width: 130 }}
          />
        </>
      )}
    </Space.Compact>
  );
}

// An attribute value as typed: numbers for number attributes, text otherwise.
const attrValue = (raw: string, type: AttrPredicate['type']): string | number =>
  type === 'number' && raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;

function AttrEditor({ attr, onChange }: { attr: AttrPredicate; onChange: (a: AttrPredicate) => void }) {
  const { t } = useTranslation('smart');
  const ops = ['eq', 'ne', 'contains', 'gt', 'gte', 'lt', 'lte', 'in', 'between', 'exists'] as const;
  const base = { name: attr.name, type: attr.type };
  const setOp = (op: (typeof ops)[number]) => {
    if (op === 'exists') onChange({ ...base, op });
    else if (op === 'in') onChange({ ...base, op, values: [] });
    else if (op === 'between') onChange({ ...base, op, from: '', to: '' });
    else onChange({ ...base, op, value: 'value' in attr ? attr.value : '' });
  };
  return (
    <Space.Compact>
      <Input
        aria-label={t('attr.name')}
        placeholder={t('attr.name')}
        value={attr.name}
        onChange={(e) => onChange({ ...attr, name: e.target.value })}
        style={{ width: 120 }}
      />
      <Select
        aria-label={t('attr.type')}
        value={attr.type}
        style={{ width: 100 }}
        options={(['string', 'number', 'date', 'enum'] as const).map((v) => ({ value: v, label: t(`attr.types.${v}`) }))}
        onChange={(type) => onChange({ ...attr, type } as AttrPredicate)}
      />
      <Select
        aria-label={t('attr.op')}
        value={attr.op}
        style={{ width: 110 }}
        options={ops.map((v) => ({ value: v, label: t(`attr.ops.${v}`) }))}
        onChange={setOp}
      />
      {'value' in attr && (
        <Input
          aria-label={t('attr.value')}
          placeholder={t('attr.value')}
          value={String(attr.value)}
          onChange={(e) => onChange({ ...attr, value: attrValue(e.target.value, attr.type) })}
          style={{ width: 140 }}
        />
      )}
      {attr.op === 'in' && free(attr.values.map(String), (v) => onChange({ ...attr, values: v.map((x) => attrValue(x, attr.type)) }), t('attr.values'))}
      {attr.op === 'between' && (
        <>
          <Input
            aria-label={t('attr.from')}
            placeholder={t('attr.from')}
            value={String(attr.from)}
            onChange={(e) => onChange({ ...attr, from: attrValue(e.target.value, attr.type) })}
            style={{ width: 110 }}
          />
          <Input
            aria-label={t('attr.to')}
            placeholder={t('attr.to')}
            value={String(attr.to)}
            onChange={(e) => onChange({ ...attr, to: attrValue(e.target.value, attr.type) })}
            style={{ width: 110 }}
          />
        </>
      )}
    </Space.Compact>
  );
}

function EventEditor({ event, onChange }: { event: EventPredicate; onChange: (e: EventPredicate) => void }) {
  const { t } = useTranslation('smart');
  return (
    <Space wrap size={4}>
      <Input
        aria-label={t('event.type')}
        placeholder="link.clicked"
        value={event.type}
        onChange={(e) => onChange({ ...event, type: e.target.value })}
        style={{ width: 140 }}
      />
      <Input
        aria-label={t('event.target')}
        placeholder={t('event.target')}
        value={event.target ?? ''}
        onChange={(e) => onChange({ ...event, target: e.target.value || undefined })}
        style={{ width: 120 }}
      />
      <Space.Compact>
        <Select
          aria-label={t('event.countOp')}
          value={event.count?.op ?? 'gte'}
          style={{ width: 80 }}
          options={[
            { value: 'gte', label: '≥' },
            { value: 'lte', label: '≤' },
            { value: 'eq', label: '=' },
          ]}
          onChange={(op) => onChange({ ...event, count: { op, n: event.count?.n ?? 1 } })}
        />
        <InputNumber
          aria-label={t('event.count')}
          min={0}
          value={event.count?.n ?? 1}
          onChange={(n) =>
            onChange({ ...event, count: n === null || (n === 1 && (event.count?.op ?? 'gte') === 'gte') ? undefined : { op: event.count?.op ?? 'gte', n } })
          }
          addonAfter={t('event.times')}
          style={{ width: 120 }}
        />
      </Space.Compact>
      <WindowEditor optional label={t('event.window')} value={event.window} onChange={(window) => onChange({ ...event, window })} />
    </Space>
  );
}

// The select's value for "any chat": not a chat id WeCom hands out (those start with wr).
const anyChatValue = '';

function GroupChatEditor({ chat, chats, onChange }: { chat: GroupChatPredicate; chats: readonly ChatChoice[]; onChange: (g: GroupChatPredicate) => void }) {
  const { t } = useTranslation('smart');
  // A chat written by id in the text but not in the list still shows, by its id.
  const listed = chat.id === undefined || chats.some((c) => c.chatId === chat.id) ? chats : [...chats, { chatId: chat.id, name: '' }];
  return (
    <Space wrap size={4}>
      <Select
        showSearch
        optionFilterProp="label"
        aria-label={t('kinds.groupChat')}
        value={chat.id ?? anyChatValue}
        options={[{ value: anyChatValue, label: t('chat.any') }, ...listed.map((c) => ({ value: c.chatId, label: c.name || c.chatId }))]}
        onChange={(id: string) => onChange({ ...(id === anyChatValue ? {} : { id }), ...(chat.window ? { window: chat.window } : {}) })}
        style={{ minWidth: 200 }}
      />
      <WindowEditor
        optional
        label={t('chat.joined')}
        value={chat.window}
        onChange={(window) => onChange({ ...(chat.id === undefined ? {} : { id: chat.id }), ...(window ? { window } : {}) })}
      />
    </Space>
  );
}

/**
 * The values of one condition, by its kind: the tag or group from the library, the lists of
 * sources, regions or members, the time window, an attribute comparison or a behaviour count.
 */
export function ConditionEditor({ leaf, choices, onChange }: Props) {
  const { t } = useTranslation('smart');
  const tagOptions = choices.groups.map((g) => ({ label: g.name, title: g.name, options: g.tags.map((tag) => ({ value: tag.tagId, label: tag.name })) }));
  if ('tag' in leaf)
    return (
      <Select
        showSearch
        optionFilterProp="label"
        aria-label={t('kinds.tag')}
        placeholder={t('pickTag')}
        value={leaf.tag || undefined}
        options={tagOptions}
        onChange={(tag) => onChange({ tag })}
        style={{ minWidth: 220 }}
      />
    );
  if ('group' in leaf) {
    return (
      <Space.Compact>
        <Select
          showSearch
          optionFilterProp="label"
          aria-label={t('kinds.group')}
          placeholder={t('pickGroup')}
          value={leaf.group.id || undefined}
          options={choices.groups.map((g) => ({ value: g.groupId, label: g.name }))}
          onChange={(id) => onChange({ group: { ...leaf.group, id } })}
          style={{ minWidth: 180 }}
        />
        <Select
          aria-label={t('groupHas.label')}
          value={leaf.group.has}
          options={(['any', 'all', 'none'] as const).map((v) => ({ value: v, label: t(`groupHas.${v}`) }))}
          onChange={(has) => onChange({ group: { ...leaf.group, has } })}
          style={{ width: 120 }}
        />
      </Space.Compact>
    );
  }
  if ('addWay' in leaf) {
    return (
      <Select
        mode="multiple"
        aria-label={t('kinds.addWay')}
        value={leaf.addWay}
        options={Object.entries(addWayCodes).map(([name, code]) => ({ value: code, label: t(`addWays.${name}`) }))}
        onChange={(addWay) => onChange({ addWay })}
        style={{ minWidth: 220 }}
      />
    );
  }
  if ('gender' in leaf) {
    return (
      <Select
        mode="multiple"
        aria-label={t('kinds.gender')}
        value={leaf.gender}
        options={([1, 2, 0] as const).map((v) => ({ value: v, label: t(`genders.${v}`) }))}
        onChange={(gender) => onChange({ gender })}
        style={{ minWidth: 200 }}
      />
    );
  }
  if ('added' in leaf) return <WindowEditor label={t('kinds.added')} value={leaf.added} onChange={(added) => added && onChange({ added })} />;
  if ('company' in leaf) {
    return (
      <Space.Compact>
        <Select
          aria-label={t('company.op')}
          value={leaf.company.op}
          options={[
            { value: 'contains', label: t('company.contains') },
            { value: 'eq', label: t('company.eq') },
          ]}
          onChange={(op) => onChange({ company: { ...leaf.company, op } })}
          style={{ width: 100 }}
        />
        <Input
          aria-label={t('kinds.company')}
          placeholder={t('kinds.company')}
          value={leaf.company.value}
          onChange={(e) => onChange({ company: { ...leaf.company, value: e.target.value } })}
          style={{ width: 200 }}
        />
      </Space.Compact>
    );
  }
  if ('department' in leaf) {
    const subtree = leaf.department.every((d) => d.subtree);
    return (
      <Space>
        <Select
          mode="multiple"
          showSearch
          optionFilterProp="label"
          aria-label={t('kinds.department')}
          value={leaf.department.map((d) => d.id)}
          options={choices.departments.map((d) => ({ value: d.deptId, label: `${'· '.repeat(d.depth)}${d.name}` }))}
          onChange={(ids: number[]) => onChange({ department: ids.map((id) => ({ id, subtree })) })}
          style={{ minWidth: 220 }}
        />
        <Switch
          aria-label={t('subtree')}
          checked={subtree}
          onChange={(on) => onChange({ department: leaf.department.map((d) => ({ ...d, subtree: on })) })}
          checkedChildren={t('subtree')}
          unCheckedChildren={t('subtree')}
        />
      </Space>
    );
  }
  if ('attr' in leaf) return <AttrEditor attr={leaf.attr} onChange={(attr) => onChange({ attr })} />;
  if ('event' in leaf) return <EventEditor event={leaf.event} onChange={(event) => onChange({ event })} />;
  if ('groupChat' in leaf) return <GroupChatEditor chat={leaf.groupChat} chats={choices.chats ?? []} onChange={(groupChat) => onChange({ groupChat })} />;
  if ('state' in leaf) return free(leaf.state, (state) => onChange({ state }), t('kinds.state'));
  if ('province' in leaf) return free(leaf.province, (province) => onChange({ province }), t('kinds.province'));
  if ('city' in leaf) return free(leaf.city, (city) => onChange({ city }), t('kinds.city'));
  if ('region' in leaf) return free(leaf.region, (region) => onChange({ region }), t('kinds.region'));
  return free(leaf.follower, (follower) => onChange({ follower }), t('kinds.follower'));
}
