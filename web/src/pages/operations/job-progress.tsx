import { Progress, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type ProgressDto, useOperationProgress } from '../../api/operations.js';
import { percentOf } from '../import-export/import-logic.js';

const statusOf = { queued: 'normal', running: 'active', succeeded: 'success', failed: 'exception', cancelled: 'exception' } as const;

/**
 * An operation's progress bar: follows its SSE stream while it is not finished (the stream ends
 * after the final status) unless `follow` is off, and shows done / total with the rate and time left.
 */
export function JobProgress({
  operationId,
  initial,
  compact = false,
  follow = true,
}: {
  operationId: string;
  initial: ProgressDto;
  compact?: boolean;
  follow?: boolean;
}) {
  const { t } = useTranslation('operations');
  const live = useOperationProgress(operationId, follow);
  const p = live ?? initial;
  const percent = p.status === 'succeeded' ? 100 : percentOf(p.done, p.total);
  return (
    <Space direction="vertical" size={0} style={{ width: '100%', minWidth: compact ? 140 : 240 }}>
      <Progress percent={percent} status={statusOf[p.status]} size={compact ? 'small' : 'default'} aria-label={t('progress.label', { percent })} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t(`status.${p.status}`)} · {t('progress.counts', { done: p.done.toLocaleString(), total: p.total.toLocaleString() })}
        {p.ratePerSecond !== null && ` · ${t('progress.rate', { rate: Math.round(p.ratePerSecond) })}`}
        {p.etaSeconds !== null && ` · ${t('progress.eta', { seconds: Math.ceil(p.etaSeconds) })}`}
      </Typography.Text>
    </Space>
  );
}
