import { App, Button, Drawer, Empty, Popconfirm, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { type RuleDto, type RuleRunDto, useRule, useRuleRuns, useRuleVersion, useUndoRun } from '../../api/rules.js';
import { QueryState } from '../../components/query-state.js';
import { DefinitionView } from './definition-view.js';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** The rule's versions, newest first, each with author and time; one opened shows its definition. */
function Versions({ ruleId }: { ruleId: string }) {
  const { t } = useTranslation('tagRules');
  const rule = useRule(ruleId);
  const [open, setOpen] = useState<number | null>(null);
  const version = useRuleVersion(open === null ? null : ruleId, open);
  const rows = [...(rule.data?.versions ?? [])].sort((a, b) => b.version - a.version);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <QueryState query={rule} rows={3} />
      <Table
        size="small"
        rowKey="version"
        pagination={false}
        dataSource={rows}
        data-testid="rule-versions"
        columns={[
          { title: t('history.version'), dataIndex: 'version', width: 90, render: (v: number) => `v${v}` },
          { title: t('history.author'), dataIndex: 'author' },
          { title: t('history.time'), dataIndex: 'createdAt', render: when },
          {
            title: t('col.actions'),
            key: 'view',
            width: 100,
            render: (_: unknown, row: { version: number }) => (
              <Button size="small" type="link" onClick={() => setOpen(row.version)}>
                {t('history.view')}
              </Button>
            ),
          },
        ]}
      />
      {open !== null && (
        <>
          <Typography.Title level={5}>{t('history.definitionOf', { version: open })}</Typography.Title>
          <QueryState query={version} rows={3} />
          {version.data && <DefinitionView definition={version.data.definition} />}
        </>
      )}
    </Space>
  );
}

const statusColor: Record<RuleRunDto['status'], string> = { applied: 'green', nothing: 'default', failed: 'red' };

/** The rule's runs, newest first; a run that changed marks and is not undone can be undone. */
function Runs({ ruleId }: { ruleId: string }) {
  const { t } = useTranslation('tagRules');
  const { message } = App.useApp();
  const runs = useRuleRuns(ruleId);
  const undo = useUndoRun();
  if (runs.data === null) return <Empty description={t('history.runsUnavailable')} />;
  return (
    <>
      <QueryState query={runs} rows={3} />
      <Table
        size="small"
        rowKey="runId"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={runs.data ?? []}
        locale={{ emptyText: t('history.noRuns') }}
        columns={[
          { title: t('history.time'), dataIndex: 'startedAt', render: when },
          { title: t('history.version'), dataIndex: 'version', render: (v: number) => `v${v}` },
          {
            title: t('history.status'),
            dataIndex: 'status',
            render: (s: RuleRunDto['status']) => <Tag color={statusColor[s]}>{t(`history.statusOf.${s}`)}</Tag>,
          },
          { title: t('history.events'), dataIndex: 'events', align: 'right' },
          { title: t('history.customers'), dataIndex: 'customers', align: 'right' },
          {
            title: t('history.changes'),
            key: 'changes',
            render: (_: unknown, run: RuleRunDto) => (
              <Space size={4}>
                <Typography.Text type="success">+{run.added}</Typography.Text>
                <Typography.Text type="danger">−{run.removed}</Typography.Text>
              </Space>
            ),
          },
          { title: t('history.error'), dataIndex: 'error', render: (e: string | null) => (e ? <Typography.Text type="danger">{e}</Typography.Text> : '') },
          {
            title: t('col.actions'),
            key: 'undo',
            render: (_: unknown, run: RuleRunDto) =>
              run.undone ? (
                <Tag>{t('history.undone')}</Tag>
              ) : (
                run.operationId && (
                  <Popconfirm
                    title={t('history.undoConfirm')}
                    okText={t('history.undo')}
                    cancelText={t('common:cancel')}
                    onConfirm={() =>
                      undo.mutateAsync(run.operationId!).then(
                        () => message.success(t('history.undoDone')),
                        (e: unknown) => message.error(errorText(e)),
                      )
                    }
                  >
                    <Button size="small">{t('history.undo')}</Button>
                  </Popconfirm>
                )
              ),
          },
        ]}
      />
    </>
  );
}

/** A rule's history in a drawer: its versions and its runs. */
export function RuleHistory({ rule, onClose }: { rule: RuleDto | null; onClose: () => void }) {
  const { t } = useTranslation('tagRules');
  return (
    <Drawer open={rule !== null} onClose={onClose} title={t('history.title', { name: rule?.name ?? '' })} width="min(980px, 96vw)" destroyOnHidden>
      {rule && (
        <Tabs
          items={[
            { key: 'versions', label: t('history.versions'), children: <Versions ruleId={rule.ruleId} /> },
            { key: 'runs', label: t('history.runs'), children: <Runs ruleId={rule.ruleId} /> },
          ]}
        />
      )}
    </Drawer>
  );
}
