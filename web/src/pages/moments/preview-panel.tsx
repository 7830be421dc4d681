import { Alert, Card, Progress, Space, Spin, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MomentCounts } from '../../../../contracts/moments.js';
import { errorText } from '../../api/client.js';
import type { MomentPreviewDto } from '../../api/moments.js';

/** The reductions in the order the server applies them, each counted on what the previous left. */
export const reductionSteps = ['excluded', 'suppressed', 'overCap', 'noSender'] as const satisfies readonly (keyof MomentCounts)[];

/** The audience funnel as rows: 命中, each reduction (negative), 最终. */
export function ReductionRows({ counts }: { counts: MomentCounts }) {
  const { t } = useTranslation('moments');
  const base = Math.max(counts.matched, 1);
  const rows = [
    { key: 'matched', value: counts.matched, sign: '' },
    ...reductionSteps.map((key) => ({ key, value: counts[key], sign: '−' })),
    { key: 'remaining', value: counts.remaining, sign: '=' },
  ];
  return (
    <div role="list" aria-label={t('preview.title')} data-testid="moment-reductions">
      {rows.map((row) => (
        <div role="listitem" key={row.key} data-step={row.key} style={{ display: 'flex', alignItems: 'center', gap: 8, padding: '2px 0' }}>
          <Typography.Text strong={row.key === 'remaining' || row.key === 'matched'} style={{ width: 120, flex: 'none' }}>
            {t(`preview.step.${row.key}`)}
          </Typography.Text>
          <Progress
            percent={Math.round((row.value / base) * 100)}
            showInfo={false}
            size="small"
            status={row.sign === '−' ? 'exception' : row.key === 'remaining' ? 'success' : 'normal'}
            style={{ flex: 1, margin: 0, minWidth: 40 }}
          />
          <Typography.Text
            strong={row.key === 'remaining'}
            type={row.sign === '−' && row.value > 0 ? 'danger' : undefined}
            style={{ width: 88, textAlign: 'right', flex: 'none', fontVariantNumeric: 'tabular-nums' }}
          >
            {row.sign === '−' && row.value > 0 ? `−${row.value.toLocaleString()}` : row.value.toLocaleString()}
          </Typography.Text>
        </div>
      ))}
    </div>
  );
}

/** The reductions on one line (命中 12,840 −排除 312 … = 最终 11,249), for the composer's footer on a phone. */
export function CompactReductions({ counts }: { counts: MomentCounts }) {
  const { t } = useTranslation('moments');
  return (
    <Typography.Text style={{ fontSize: 12 }} data-testid="moment-reductions-compact">
      {t('preview.step.matched')} {counts.matched.toLocaleString()}
      {reductionSteps.map((key) => (
        <Typography.Text key={key} type={counts[key] > 0 ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
          {` · ${t(`preview.step.${key}`)} ${counts[key] > 0 ? '−' : ''}${counts[key].toLocaleString()}`}
        </Typography.Text>
      ))}
      <Typography.Text strong style={{ fontSize: 12 }}>{` = ${t('preview.step.remaining')} ${counts.remaining.toLocaleString()}`}</Typography.Text>
    </Typography.Text>
  );
}

/**
 * The composer's live preview: how many customers the include matches and what each reduction
 * takes away, per sender and per variant, with the settings that made them (cap, quiet hours).
 */
export function PreviewPanel({ preview, fetching, error }: { preview: MomentPreviewDto | undefined; fetching: boolean; error: unknown }) {
  const { t } = useTranslation('moments');
  return (
    <Card
      size="small"
      title={
        <Space>
          {t('preview.title')}
          {fetching && <Spin size="small" />}
        </Space>
      }
      extra={preview && <Typography.Text type="secondary">{t('preview.elapsed', { ms: Math.round(preview.elapsedMs) })}</Typography.Text>}
      aria-live="polite"
    >
      {error ? <Alert type="error" showIcon role="alert" title={errorText(error)} style={{ marginBottom: 8 }} /> : null}
      {!preview && !error && <Typography.Text type="secondary">{t('preview.counting')}</Typography.Text>}
      {preview && (
        <Space orientation="vertical" size="small" style={{ width: '100%', opacity: fetching ? 0.6 : 1 }}>
          <ReductionRows counts={preview.counts} />
          {preview.counts.remaining === 0 && preview.counts.matched > 0 && <Alert type="warning" showIcon title={t('preview.nobodyLeft')} />}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('preview.settings', {
              cap: preview.settings.weeklyCap,
              streak: preview.settings.notInterestedStreak,
              start: preview.settings.quietHours.start,
              end: preview.settings.quietHours.end,
            })}
          </Typography.Text>
          {preview.targetGroups.length > 0 && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('preview.targetGroups')}{' '}
              </Typography.Text>
              {preview.targetGroups.map((g) => (
                <Tag key={g.groupId}>{g.name}</Tag>
              ))}
            </div>
          )}
          {preview.bySender.length > 0 && (
            <Table
              size="small"
              rowKey="userid"
              pagination={{ pageSize: 8, hideOnSinglePage: true, size: 'small' }}
              dataSource={preview.bySender}
              columns={[
                { title: t('preview.sender'), dataIndex: 'name', render: (name: string, s) => name || s.userid },
                { title: t('preview.remaining'), dataIndex: 'remaining', align: 'right', render: (n: number) => n.toLocaleString() },
              ]}
            />
          )}
          {preview.byVariant.length > 1 && (
            <Table
              size="small"
              rowKey="variant"
              pagination={false}
              dataSource={preview.byVariant}
              columns={[
                { title: t('preview.variant'), dataIndex: 'label', render: (label: string, v) => (v.variant === -1 ? t('variants.main') : label) },
                { title: t('preview.remaining'), dataIndex: 'remaining', align: 'right', render: (n: number) => n.toLocaleString() },
              ]}
            />
          )}
        </Space>
      )}
    </Card>
  );
}
