import { Alert, Descriptions, Drawer, Result, Skeleton, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorText } from '../../api/client.js';
import { useOperation } from '../../api/operations.js';
import { ConflictsTable } from './conflicts-table.js';
import { JobProgress } from './job-progress.js';
import { OperationActions } from './operation-actions.js';
import { actorText, conflictsOf, resultCounts } from './operation-logic.js';
import { StatusTag } from './status-tag.js';

/** One operation in full: who, when, what was asked, its counts, error and conflicts, and its actions. */
export function OperationDrawer({ operationId, onClose }: { operationId: string | null; onClose: () => void }) {
  const { t, i18n } = useTranslation('operations');
  const query = useOperation(operationId);
  const op = query.data;
  const when = (at: string | null) => (at ? new Date(at).toLocaleString(i18n.language) : '—');
  const conflicts = conflictsOf(op?.result ?? null);
  const conflictCount = typeof op?.result?.conflictCount === 'number' ? op.result.conflictCount : conflicts.length;
  return (
    <Drawer open={operationId !== null} onClose={onClose} width={720} title={t('detail.title', { id: operationId ?? '' })}>
      {query.isPending && <Skeleton active />}
      {query.isError && <Result status="error" title={t('common:loadFailed')} subTitle={errorText(query.error)} />}
      {op && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <OperationActions operation={op} onReversed={() => void query.refetch()} />
          {(op.status === 'running' || op.status === 'queued') && <JobProgress operationId={op.operationId} initial={op} />}
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('columns.kind')}>{t(`kind.${op.kind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('columns.status')}>
              <StatusTag status={op.status} />
              {op.undoneBy && (
                <Link to={`/operations?id=${op.undoneBy}`} style={{ marginLeft: 8 }}>
                  {t('detail.undoneBy', { id: op.undoneBy })}
                </Link>
              )}
            </Descriptions.Item>
            {op.targetOperationId && (
              <Descriptions.Item label={t('detail.target')}>
                <Link to={`/operations?id=${op.targetOperationId}`}>{op.targetOperationId}</Link>
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('columns.actor')}>
              <span title={op.actor}>{actorText(op.actor, op.actorName)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.source')}>{op.source}</Descriptions.Item>
            <Descriptions.Item label={t('columns.createdAt')}>{when(op.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t('detail.finishedAt')}>{when(op.finishedAt)}</Descriptions.Item>
            {resultCounts(op.result).map(([key, n]) => (
              <Descriptions.Item key={key} label={t(`counts.${key}`, { defaultValue: key })}>
                {n.toLocaleString()}
              </Descriptions.Item>
            ))}
          </Descriptions>
          {op.error && <Alert type="error" showIcon message={op.error.code} description={op.error.message} />}
          {conflicts.length > 0 && <ConflictsTable conflicts={conflicts} total={conflictCount} />}
          <Typography.Title level={5}>{t('detail.params')}</Typography.Title>
          <pre style={{ background: '#fafafa', padding: 12, maxHeight: 240, overflow: 'auto', fontSize: 12, margin: 0 }}>
            {JSON.stringify(op.params, null, 2)}
          </pre>
        </Space>
      )}
    </Drawer>
  );
}
