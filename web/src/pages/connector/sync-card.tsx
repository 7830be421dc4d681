import { CloudDownloadOutlined, SyncOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { type ConnectionDto, useConnectionActions } from '../../api/connector.js';
import { useOperation, useOperations } from '../../api/operations.js';
import { toShanghai } from '../contact-ways/campaign-window.js';
import { JobProgress } from '../operations/job-progress.js';

/**
 * 同步: a full pull (everything, deletions applied) or an incremental one (the tag library and
 * customers added since the last pull), the running or last pull's live progress from its SSE
 * stream, and when each kind last finished.
 */
export function SyncCard({ connection }: { connection: Extract<ConnectionDto, { connected: true }> }) {
  const { t } = useTranslation('connector');
  const { message } = App.useApp();
  const { pull } = useConnectionActions();
  const [started, setStarted] = useState<string | null>(null);
  const pulls = useOperations({ kind: 'wecom_pull' });
  const latestId = started ?? pulls.data?.pages[0]?.operations[0]?.operationId ?? null;
  const operation = useOperation(latestId);
  const op = operation.data;
  const running = op?.status === 'queued' || op?.status === 'running';

  const start = (mode: 'full' | 'incremental') =>
    pull.mutate(mode, {
      onSuccess: ({ operationId }) => {
        setStarted(operationId);
        message.success(t('sync.started'));
      },
      onError: (error) => message.error(errorText(error)),
    });

  return (
    <Card title={t('sync.title')}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('sync.intro')}</Typography.Text>
        <Space wrap>
          <Button
            type="primary"
            icon={<CloudDownloadOutlined />}
            loading={pull.isPending && pull.variables === 'full'}
            disabled={running}
            onClick={() => start('full')}
          >
            {t('sync.full')}
          </Button>
          <Button icon={<SyncOutlined />} loading={pull.isPending && pull.variables === 'incremental'} disabled={running} onClick={() => start('incremental')}>
            {t('sync.incremental')}
          </Button>
        </Space>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('sync.lastFull')}>
            {connection.lastFullPullAt ? toShanghai(connection.lastFullPullAt) : t('sync.never')}
          </Descriptions.Item>
          <Descriptions.Item label={t('sync.lastAny')}>{connection.lastPullAt ? toShanghai(connection.lastPullAt) : t('sync.never')}</Descriptions.Item>
        </Descriptions>
        {op && (
          <div data-testid="pull-progress">
            <Typography.Text strong>
              {t(op.params.mode === 'full' ? 'sync.fullRun' : 'sync.incrementalRun')} · {toShanghai(op.createdAt)}
            </Typography.Text>
            <JobProgress key={op.operationId} operationId={op.operationId} initial={op} follow={running} />
            {op.error && <Alert type="error" showIcon title={op.error.message} style={{ marginTop: 8 }} />}
          </div>
        )}
      </Space>
    </Card>
  );
}
