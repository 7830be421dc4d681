import { Alert, Button, Progress, Space, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchOperation, useOperationProgress } from '../../api/customer-list.js';

/** A finished job's counts, as the toast reports them. */
export type JobOutcome = { operationId: string; status: string; added: number; removed: number; error: string | null };

/**
 * A running job's live progress bar, fed by its SSE stream until it ends; then the finished
 * operation is read once for its counts and handed to `onFinished` (the page shows the undo toast).
 */
export function BatchProgress({ operationId, label, onFinished }: { operationId: string; label: string; onFinished: (outcome: JobOutcome) => void }) {
  const { t } = useTranslation('customers');
  const { progress, lost } = useOperationProgress(operationId);
  const reported = useRef<string | null>(null);
  const finished = progress !== null && ['succeeded', 'failed', 'cancelled'].includes(progress.status);

  useEffect(() => {
    if (!finished || reported.current === operationId) return;
    reported.current = operationId;
    void fetchOperation(operationId).then(
      (op) => onFinished({ operationId, status: op.status, added: op.result?.added ?? 0, removed: op.result?.removed ?? 0, error: op.error?.message ?? null }),
      (error: unknown) => onFinished({ operationId, status: 'failed', added: 0, removed: 0, error: error instanceof Error ? error.message : String(error) }),
    );
  }, [finished, operationId, onFinished]);

  if (lost && !finished) return <Alert type="warning" showIcon title={t('batch.lost')} />;
  const done = progress?.done ?? 0;
  const total = progress?.total ?? 0;
  const percent = progress?.status === 'succeeded' ? 100 : total > 0 ? Math.floor((done / total) * 100) : 0;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={0}>
      <Typography.Text>
        {label} ·{' '}
        {progress === null || progress.status === 'queued'
          ? t('batch.queued')
          : progress.status === 'succeeded'
            ? t('batch.finished', { done, total })
            : finished
              ? t('batch.ended', { done, total })
              : t('batch.running', { done, total })}
      </Typography.Text>
      <Progress
        percent={percent}
        status={progress?.status === 'failed' ? 'exception' : progress?.status === 'succeeded' ? 'success' : 'active'}
        aria-label={t('batch.progressLabel')}
      />
    </Space>
  );
}

/** The undo button of the finished-job toast. */
export function UndoButton({ onUndo, busy }: { onUndo: () => void; busy: boolean }) {
  const { t } = useTranslation('customers');
  return (
    <Button size="small" type="primary" loading={busy} onClick={onUndo}>
      {t('batch.undo')}
    </Button>
  );
}
