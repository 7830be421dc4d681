import { Alert, Card, Descriptions, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DryRunDto } from '../../api/rules.js';

type Change = DryRunDto['gains'][number];

/** The tags a dry run would put on or take off: per tag, how many customers and a few of their names. */
function ChangeTable({ rows, sign }: { rows: Change[]; sign: '+' | '−' }) {
  const { t } = useTranslation('tagRules');
  return (
    <Table
      size="small"
      pagination={false}
      rowKey={(row) => `${row.tagId ?? 'new'}:${row.groupName}:${row.tagName}`}
      dataSource={rows}
      locale={{ emptyText: t('dryRun.noChange') }}
      columns={[
        {
          title: t('dryRun.tag'),
          key: 'tag',
          render: (_: unknown, row: Change) => (
            <>
              <Typography.Text type="secondary">{row.groupName} / </Typography.Text>
              {row.tagName}
              {row.tagId === null && <Tag style={{ marginLeft: 6 }}>{t('dryRun.newTag')}</Tag>}
            </>
          ),
        },
        {
          title: t('dryRun.customers'),
          dataIndex: 'customers',
          align: 'right',
          width: 110,
          render: (n: number) => (
            <Typography.Text type={sign === '+' ? 'success' : 'danger'}>
              {sign}
              {n.toLocaleString()}
            </Typography.Text>
          ),
        },
        { title: t('dryRun.samples'), key: 'samples', render: (_: unknown, row: Change) => row.samples.map((c) => c.name || c.externalUserid).join('、') },
      ]}
    />
  );
}

/**
 * What the draft would do now, written nowhere: trigger events read and fired on, then per tag the
 * gains and losses with sample customers, and why it failed where it did.
 */
export function DryRunResult({ result }: { result: DryRunDto | null }) {
  const { t } = useTranslation('tagRules');
  if (result === null) return <Alert type="info" showIcon message={t('dryRun.unavailable')} />;
  return (
    <Card size="small" title={t('dryRun.title')} data-testid="dry-run-result">
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('dryRun.events')}>{result.events.toLocaleString()}</Descriptions.Item>
        <Descriptions.Item label={t('dryRun.fired')}>{result.fired.toLocaleString()}</Descriptions.Item>
        <Descriptions.Item label={t('dryRun.failures')}>{result.failures.reduce((n, f) => n + f.count, 0).toLocaleString()}</Descriptions.Item>
      </Descriptions>
      {result.truncated && <Alert type="warning" showIcon message={t('dryRun.truncated')} style={{ marginBottom: 8 }} />}
      <Typography.Title level={5}>{t('dryRun.gains')}</Typography.Title>
      <ChangeTable rows={result.gains} sign="+" />
      <Typography.Title level={5}>{t('dryRun.losses')}</Typography.Title>
      <ChangeTable rows={result.losses} sign="−" />
      {result.failures.length > 0 && (
        <Alert
          type="error"
          style={{ marginTop: 8 }}
          message={t('dryRun.failures')}
          description={result.failures.map((f) => (
            <div key={f.reason}>
              {f.reason} × {f.count}
            </div>
          ))}
        />
      )}
    </Card>
  );
}
