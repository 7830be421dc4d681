import { Button, DatePicker, Empty, Result, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { errorText } from '../../api/client.js';
import { type OperationDto, type OperationFilters, useOperations } from '../../api/operations.js';
import { JobProgress } from './job-progress.js';
import { OperationDrawer } from './operation-drawer.js';
import { actorText, resultCounts } from './operation-logic.js';
import { StatusTag } from './status-tag.js';

// A browser keeps about six connections per server over HTTP/1.1: only the newest few running
// operations follow their progress stream live, so the page's other requests are never starved.
const liveStreams = 3;

const kinds = ['batch', 'import', 'undo', 'redo', 'rule', 'deletion', 'smart_sync', 'wecom_pull'] as const;
const statuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

/**
 * 操作记录: the operations the user may see (their own, or the corp's with the audit right),
 * newest first, filtered by kind, status and time; running ones show their live progress, and a
 * row opens the detail with its result, conflicts and the undo / redo / cancel it allows.
 */
export default function OperationsPage() {
  const { t, i18n } = useTranslation('operations');
  const [params, setParams] = useSearchParams();
  const [filters, setFilters] = useState<OperationFilters>({});
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const list = useOperations(filters);
  const rows = list.data?.pages.flatMap((p) => p.operations) ?? [];
  const open = params.get('id');
  const followed = new Set(
    rows
      .filter((op) => op.status === 'running' || op.status === 'queued')
      .slice(0, liveStreams)
      .map((op) => op.operationId),
  );
  const openOperation = (id: string | null) => setParams(id ? { id } : {});
  const changeRange = (value: [Dayjs | null, Dayjs | null] | null) => {
    setRange(value);
    setFilters((f) => ({ ...f, from: value?.[0]?.startOf('day').toISOString(), to: value?.[1]?.endOf('day').add(1, 'millisecond').toISOString() }));
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      <Space wrap>
        <Select
          allowClear
          aria-label={t('filters.kind')}
          placeholder={t('filters.kind')}
          style={{ width: 160 }}
          value={filters.kind}
          onChange={(kind) => setFilters((f) => ({ ...f, kind }))}
          options={kinds.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
        />
        <Select
          allowClear
          aria-label={t('filters.status')}
          placeholder={t('filters.status')}
          style={{ width: 160 }}
          value={filters.status}
          onChange={(status) => setFilters((f) => ({ ...f, status }))}
          options={statuses.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        />
        <DatePicker.RangePicker
          aria-label={t('filters.time')}
          placeholder={[t('filters.from'), t('filters.to')]}
          value={range}
          onChange={changeRange}
          allowEmpty={[true, true]}
        />
      </Space>
      {list.isError && (
        <Result
          status="error"
          title={t('common:loadFailed')}
          subTitle={errorText(list.error)}
          extra={<Button onClick={() => void list.refetch()}>{t('common:retry')}</Button>}
        />
      )}
      {!list.isError && (
        <Table<OperationDto>
          aria-label={t('title')}
          rowKey="operationId"
          loading={list.isPending}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: <Empty description={t('empty')} /> }}
          onRow={(op) => ({ onClick: () => openOperation(op.operationId), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('columns.kind'), dataIndex: 'kind', width: 110, render: (k: OperationDto['kind']) => t(`kind.${k}`) },
            {
              title: t('columns.status'),
              key: 'status',
              width: 260,
              render: (_, op) =>
                op.status === 'running' || op.status === 'queued' ? (
                  <JobProgress operationId={op.operationId} initial={op} compact follow={followed.has(op.operationId) && op.operationId !== open} />
                ) : (
                  <StatusTag status={op.status} />
                ),
            },
            { title: t('columns.actor'), dataIndex: 'actor', width: 140, render: (a: string, op) => <span title={a}>{actorText(a, op.actorName)}</span> },
            { title: t('columns.createdAt'), dataIndex: 'createdAt', width: 190, render: (at: string) => new Date(at).toLocaleString(i18n.language) },
            {
              title: t('columns.counts'),
              key: 'counts',
              render: (_, op) =>
                resultCounts(op.result)
                  .filter(([key]) => key === 'added' || key === 'removed' || key === 'conflictCount' || key === 'rows')
                  .map(([key, n]) => `${t(`counts.${key}`)} ${n.toLocaleString()}`)
                  .join(' · ') || '—',
            },
            {
              title: t('columns.open'),
              key: 'open',
              width: 100,
              render: (_, op) => (
                <Button
                  type="link"
                  size="small"
                  aria-label={t('detail.openFor', { id: op.operationId })}
                  onClick={(e) => (e.stopPropagation(), openOperation(op.operationId))}
                >
                  {t('columns.open')}
                </Button>
              ),
            },
          ]}
        />
      )}
      {list.hasNextPage && (
        <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('more')}
        </Button>
      )}
      <OperationDrawer operationId={open} onClose={() => openOperation(null)} />
    </Space>
  );
}
