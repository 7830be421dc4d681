import { CopyOutlined, DeleteOutlined, EditOutlined, HistoryOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Empty, Input, Popconfirm, Select, Space, Switch, Table, Tag, Tooltip } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { triggerKinds } from '../../../../contracts/rules.js';
import { errorText } from '../../api/client.js';
import { type RuleDto, type TriggerKind, useRuleActions, useRules, useToggleRule } from '../../api/rules.js';
import { can, type MeDto } from '../../api/session.js';
import { useTagGroups } from '../../api/tags.js';
import { PageHeader } from '../../components/page-header.js';
import { QueryState } from '../../components/query-state.js';
import { useDebounced } from '../../components/use-debounced.js';
import { tagChoices } from '../customers/tag-options.js';
import { RuleEditor, type RuleEditorTarget } from './rule-editor.js';
import { tagsTouched } from './rule-form.js';
import { RuleHistory } from './rule-history.js';
import { useTagNames } from './tag-names.js';

/**
 * 智能打标签 (tagging rules): rules that put tags on and take them off when a trigger fires. The
 * list filters by name, tag and trigger; each rule switches on and off in place, opens in the
 * editor (a save is a new version), copies, deletes, and shows its versions and runs.
 */
export default function RulesPage({ me }: { me: MeDto }) {
  const { t } = useTranslation('tagRules');
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [tagId, setTagId] = useState<string | undefined>();
  const [trigger, setTrigger] = useState<TriggerKind | undefined>();
  const filters = { q: useDebounced(q.trim(), 300) || undefined, tagId, trigger };
  const rules = useRules(filters);
  const groups = useTagGroups();
  const names = useTagNames(groups.data);
  const tagOptions = useMemo(() => tagChoices(groups.data ?? [], [], { personal: '' }).options, [groups.data]);
  const actions = useRuleActions();
  const toggle = useToggleRule();
  const [target, setTarget] = useState<RuleEditorTarget | null>(null);
  const [history, setHistory] = useState<RuleDto | null>(null);
  const manage = can(me, 'rule.manage');
  const fail = (error: unknown) => message.error(errorText(error));

  const copy = (rule: RuleDto) => actions.copy.mutateAsync(rule.ruleId).then((copied) => message.success(t('copied', { name: copied.name })), fail);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader
        title={t('title')}
        intro={t('intro')}
        actions={
          manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({ mode: 'new' })}>
              {t('new')}
            </Button>
          )
        }
      />
      <Space wrap>
        <Input.Search allowClear aria-label={t('search')} placeholder={t('search')} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 240 }} />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          aria-label={t('filterTag')}
          placeholder={t('filterTag')}
          options={tagOptions}
          value={tagId}
          onChange={setTagId}
          style={{ width: 200 }}
        />
        <Select
          allowClear
          aria-label={t('filterTrigger')}
          placeholder={t('filterTrigger')}
          options={triggerKinds.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
          value={trigger}
          onChange={setTrigger}
          style={{ width: 180 }}
        />
      </Space>
      <QueryState query={rules} />
      {rules.data && (
        <Table
          rowKey="ruleId"
          size="middle"
          scroll={{ x: 'max-content' }}
          dataSource={rules.data}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={t('empty')} /> }}
          columns={[
            { title: t('col.name'), dataIndex: 'name' },
            { title: t('col.trigger'), dataIndex: 'triggerKind', render: (kind: TriggerKind) => t(`kind.${kind}`) },
            {
              title: t('col.tags'),
              key: 'tags',
              render: (_: unknown, rule: RuleDto) => {
                const touched = tagsTouched(rule.definition);
                return (
                  <Space size={[0, 4]} wrap style={{ maxWidth: 320 }}>
                    {touched.tagIds.map((id) =>
                      touched.removed.has(id) ? (
                        <Tag key={id} color="red">
                          −{names(id)}
                        </Tag>
                      ) : (
                        <Tag key={id}>{names(id)}</Tag>
                      ),
                    )}
                    {touched.templates.map((text) => (
                      <Tag key={text} color="purple">
                        {text}
                      </Tag>
                    ))}
                  </Space>
                );
              },
            },
            {
              title: t('col.enabled'),
              dataIndex: 'enabled',
              render: (enabled: boolean, rule: RuleDto) => (
                <Switch
                  checked={enabled}
                  disabled={!manage}
                  aria-label={t('toggle', { name: rule.name })}
                  onChange={(on) => toggle.mutate({ ruleId: rule.ruleId, enabled: on }, { onError: fail })}
                />
              ),
            },
            { title: t('col.updated'), dataIndex: 'updatedAt', render: (at: string) => new Date(at).toLocaleString() },
            { title: t('col.version'), dataIndex: 'currentVersion', render: (v: number) => `v${v}` },
            {
              title: t('col.actions'),
              key: 'actions',
              render: (_: unknown, rule: RuleDto) => (
                <Space size={0}>
                  {manage && (
                    <Tooltip title={t('edit')}>
                      <Button
                        type="text"
                        icon={<EditOutlined />}
                        aria-label={t('editOf', { name: rule.name })}
                        onClick={() => setTarget({ mode: 'edit', rule })}
                      />
                    </Tooltip>
                  )}
                  {manage && (
                    <Tooltip title={t('copy')}>
                      <Button type="text" icon={<CopyOutlined />} aria-label={t('copyOf', { name: rule.name })} onClick={() => void copy(rule)} />
                    </Tooltip>
                  )}
                  <Tooltip title={t('history.open')}>
                    <Button type="text" icon={<HistoryOutlined />} aria-label={t('historyOf', { name: rule.name })} onClick={() => setHistory(rule)} />
                  </Tooltip>
                  {manage && (
                    <Popconfirm
                      title={t('deleteConfirm', { name: rule.name })}
                      description={t('deleteHelp')}
                      okText={t('delete')}
                      cancelText={t('common:cancel')}
                      okButtonProps={{ danger: true }}
                      onConfirm={() => actions.remove.mutateAsync(rule.ruleId).then(() => message.success(t('deleted')), fail)}
                    >
                      <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('deleteOf', { name: rule.name })} />
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}
      {target && <RuleEditor key={target.mode === 'edit' ? target.rule.ruleId : 'new'} target={target} onClose={() => setTarget(null)} />}
      <RuleHistory rule={history} onClose={() => setHistory(null)} />
    </Space>
  );
}
