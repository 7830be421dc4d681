import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Empty, Popconfirm, Result, Skeleton, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { type StrategyDto, useRuleGroupActions, useRuleGroups } from '../../api/rule-groups.js';
import { can, type MeDto } from '../../api/session.js';
import { PageHeader } from '../../components/page-header.js';
import { RuleGroupEditor, type RuleGroupTarget } from './rule-group-editor.js';

/** How deep a rule group sits (0 for top level), from the listed parents. */
function depthOf(strategy: StrategyDto, all: StrategyDto[]): number {
  let depth = 0;
  for (let current = strategy; current.parentId !== 0 && depth < 8; depth += 1) {
    const parent = all.find((s) => s.strategyId === current.parentId);
    if (!parent) break;
    current = parent;
  }
  return depth;
}

/**
 * 规则组: the corp's rule groups as a tree, each with its range and admins; create, edit (name,
 * range, admins, rights, its tags) and delete. Needs `strategy.manage`, as the server checks.
 */
export default function RuleGroupsPage({ me }: { me: MeDto }) {
  const { t } = useTranslation('rules');
  const { message } = App.useApp();
  const allowed = can(me, 'strategy.manage');
  const groups = useRuleGroups(allowed);
  const actions = useRuleGroupActions();
  const [target, setTarget] = useState<RuleGroupTarget | null>(null);
  const all = groups.data ?? [];
  const editing = target?.mode === 'edit' ? all.find((s) => s.strategyId === target.strategy.strategyId) : undefined;

  if (!allowed) return <Result status="403" title={t('noAccess')} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader
        title={t('title')}
        actions={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({ mode: 'new' })}>
            {t('new')}
          </Button>
        }
      />
      <Typography.Text type="secondary">{t('intro')}</Typography.Text>
      {groups.isPending && <Skeleton active paragraph={{ rows: 5 }} />}
      {groups.isError && (
        <Result
          status="error"
          title={t('common:loadFailed')}
          subTitle={errorText(groups.error)}
          extra={<Button onClick={() => void groups.refetch()}>{t('common:retry')}</Button>}
        />
      )}
      {groups.data && groups.data.length === 0 && <Empty description={t('empty')} />}
      {groups.data && groups.data.length > 0 && (
        <Table
          rowKey="strategyId"
          size="middle"
          pagination={false}
          dataSource={all}
          columns={[
            {
              title: t('col.name'),
              dataIndex: 'name',
              render: (name: string, s: StrategyDto) => (
                <span style={{ paddingLeft: depthOf(s, all) * 20 }}>
                  {depthOf(s, all) > 0 ? '└ ' : ''}
                  {name}
                </span>
              ),
            },
            {
              title: t('col.range'),
              key: 'range',
              render: (_: unknown, s: StrategyDto) =>
                s.range.departments.length + s.range.userids.length === 0
                  ? t('rangeNone')
                  : t('rangeSummary', { departments: s.range.departments.length, members: s.range.userids.length }),
            },
            { title: t('col.admins'), dataIndex: 'adminList', render: (admins: string[]) => admins.join(', ') },
            {
              title: t('col.actions'),
              key: 'actions',
              width: 110,
              render: (_: unknown, s: StrategyDto) => (
                <Space size={0}>
                  <Button
                    type="text"
                    size="small"
                    icon={<EditOutlined />}
                    aria-label={t('edit', { name: s.name })}
                    onClick={() => setTarget({ mode: 'edit', strategy: s })}
                  />
                  <Popconfirm
                    title={t('deleteConfirm', { name: s.name })}
                    description={t('deleteHelp')}
                    okText={t('deleteOk')}
                    cancelText={t('common:cancel')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() =>
                      actions.remove.mutate(s.strategyId, { onSuccess: () => message.success(t('deleted')), onError: (e) => message.error(errorText(e)) })
                    }
                  >
                    <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('delete', { name: s.name })} />
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      )}
      <RuleGroupEditor
        target={target?.mode === 'edit' ? (editing ? { mode: 'edit', strategy: editing } : null) : target}
        all={all}
        onClose={() => setTarget(null)}
      />
    </Space>
  );
}
