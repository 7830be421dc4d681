import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Empty, Result, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEventDto } from '../../../../contracts/audit.js';
import { type AuditFilters, useAudit, useExportAudit } from '../../api/audit.js';
import { errorText } from '../../api/client.js';
import { actorText } from '../operations/operation-logic.js';
import { AuditFiltersForm } from './audit-filters.js';
import { ChangeView } from './change-view.js';

/**
 * 审计日志: every recorded change the user may read, newest first, filtered by actor, event type,
 * target and time; a row expands to its before / after; "export CSV" downloads the same filters.
 */
export default function AuditPage() {
  const { t, i18n } = useTranslation('audit');
  const { message } = App.useApp();
  const [filters, setFilters] = useState<AuditFilters>({});
  const log = useAudit(filters);
  const exporter = useExportAudit();
  const rows = log.data?.pages.flatMap((p) => p.events) ?? [];
  const download = () =>
    exporter.mutate(filters, { onSuccess: (name) => message.success(t('exported', { name })), onError: (error) => message.error(errorText(error)) });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        <Button icon={<DownloadOutlined />} onClick={download} loading={exporter.isPending}>
          {t('export')}
        </Button>
      </Space>
      <AuditFiltersForm onApply={setFilters} />
      {log.isError && (
        <Result
          status="error"
          title={t('common:loadFailed')}
          subTitle={errorText(log.error)}
          extra={<Button onClick={() => void log.refetch()}>{t('common:retry')}</Button>}
        />
      )}
      {!log.isError && (
        <Table<AuditEventDto>
          aria-label={t('title')}
          rowKey="seq"
          size="small"
          loading={log.isPending}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: <Empty description={t('empty')} /> }}
          expandable={{ expandedRowRender: (event) => <ChangeView event={event} />, expandRowByClick: true }}
          columns={[
            { title: t('columns.at'), dataIndex: 'at', width: 180, render: (at: string) => new Date(at).toLocaleString(i18n.language) },
            { title: t('columns.type'), dataIndex: 'type', width: 220, render: (type: string) => <Typography.Text code>{type}</Typography.Text> },
            { title: t('columns.actor'), dataIndex: 'actor', width: 170, render: (a: string, e) => <span title={a}>{actorText(a, e.actorName)}</span> },
            { title: t('columns.source'), dataIndex: 'source', width: 100 },
            { title: t('columns.subject'), key: 'subject', render: (_, e) => `${e.subject.type}: ${e.subject.id ?? t('redacted')}` },
          ]}
        />
      )}
      {log.hasNextPage && (
        <Button onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
          {t('more')}
        </Button>
      )}
    </Space>
  );
}
