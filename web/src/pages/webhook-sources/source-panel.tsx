import { Alert, Button, Descriptions, Drawer, Input, Segmented, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { useDeliveries, useWebhookSourceActions, type WebhookSourceDto } from '../../api/webhook-sources.js';
import { QueryState } from '../../components/query-state.js';
import { toShanghai } from '../contact-ways/campaign-window.js';
import { draftOf, samplePayload } from './mapping-form.js';

/**
 * One source: a test delivery (a sample payload run through the saved mapping, recorded nowhere,
 * showing what would be recorded or why not) and the delivery log with each refusal's reason.
 */
export function SourcePanel({ source, onClose }: { source: WebhookSourceDto | null; onClose: () => void }) {
  const { t } = useTranslation('inputs');
  return (
    <Drawer open={source !== null} onClose={onClose} width="min(960px, 96vw)" title={source?.name} destroyOnHidden>
      {source && (
        <Tabs
          items={[
            { key: 'test', label: t('sources.test.tab'), children: <TestDelivery source={source} /> },
            { key: 'log', label: t('sources.log.tab'), children: <DeliveryLog source={source} /> },
          ]}
        />
      )}
    </Drawer>
  );
}

function TestDelivery({ source }: { source: WebhookSourceDto }) {
  const { t } = useTranslation('inputs');
  const actions = useWebhookSourceActions();
  const [customer, setCustomer] = useState('');
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState('');
  useEffect(() => setText(JSON.stringify(samplePayload(draftOf(source.mapping), customer || 'wm-sample'), null, 2)), [source, customer]);
  const run = () => {
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch (error) {
      setParseError(error instanceof Error ? error.message : String(error));
      return;
    }
    setParseError('');
    actions.test.mutate({ sourceId: source.sourceId, payload });
  };
  const result = actions.test.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('sources.test.help')}</Typography.Text>
      <Input
        aria-label={t('sources.test.customer')}
        placeholder={t('sources.test.customer')}
        value={customer}
        onChange={(e) => setCustomer(e.target.value.trim())}
      />
      <Input.TextArea
        aria-label={t('sources.test.payload')}
        rows={8}
        value={text}
        onChange={(e) => setText(e.target.value)}
        style={{ fontFamily: 'monospace' }}
      />
      {parseError && <Alert type="error" showIcon message={t('sources.test.notJson')} description={parseError} />}
      <Button type="primary" onClick={run} loading={actions.test.isPending}>
        {t('sources.test.send')}
      </Button>
      {actions.test.isError && <Alert type="error" showIcon message={errorText(actions.test.error)} />}
      {result && (
        <Alert
          data-testid="webhook-test-result"
          type={result.ok ? (result.wouldRecord?.customerExists ? 'success' : 'warning') : 'error'}
          showIcon
          message={result.ok ? (result.wouldRecord?.customerExists ? t('sources.test.ok') : t('sources.test.noCustomer')) : t('sources.test.failed')}
          description={
            result.wouldRecord ? (
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('sources.test.fact')}>{result.wouldRecord.factType}</Descriptions.Item>
                <Descriptions.Item label={t('sources.test.customerValue')}>{result.wouldRecord.externalUserid}</Descriptions.Item>
                <Descriptions.Item label={t('sources.test.targetValue')}>{result.wouldRecord.target || '—'}</Descriptions.Item>
                <Descriptions.Item label={t('sources.test.fieldValues')}>{JSON.stringify(result.wouldRecord.fields)}</Descriptions.Item>
              </Descriptions>
            ) : (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {result.problems.map((p) => (
                  <li key={`${p.path}/${p.message}`}>{[p.path, p.code, p.message].filter(Boolean).join(' · ')}</li>
                ))}
              </ul>
            )
          }
        />
      )}
    </Space>
  );
}

function DeliveryLog({ source }: { source: WebhookSourceDto }) {
  const { t } = useTranslation('inputs');
  const [outcome, setOutcome] = useState<'all' | 'accepted' | 'refused'>('all');
  const log = useDeliveries(source.sourceId, outcome === 'all' ? undefined : outcome);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Segmented
          aria-label={t('sources.log.filter')}
          value={outcome}
          onChange={(v) => setOutcome(v as typeof outcome)}
          options={[
            { value: 'all', label: t('sources.log.all') },
            { value: 'accepted', label: t('sources.log.accepted') },
            { value: 'refused', label: t('sources.log.refused') },
          ]}
        />
        <Button onClick={() => void log.refetch()}>{t('sources.log.refresh')}</Button>
      </Space>
      <QueryState query={log} rows={4} />
      {log.data && (
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={log.data.deliveries}
          locale={{ emptyText: t('sources.log.empty') }}
          columns={[
            { title: t('sources.log.col.receivedAt'), dataIndex: 'receivedAt', width: 150, render: (at: string) => toShanghai(at) },
            {
              title: t('sources.log.col.outcome'),
              dataIndex: 'outcome',
              width: 110,
              render: (o: 'accepted' | 'refused', d) => <Tag color={o === 'accepted' ? 'green' : 'red'}>{`${t(`sources.log.${o}`)} ${d.status}`}</Tag>,
            },
            {
              title: t('sources.log.col.what'),
              key: 'what',
              render: (_: unknown, d) =>
                d.outcome === 'accepted' ? (
                  `${d.eventType ?? ''} · ${d.externalUserid ?? ''}`
                ) : (
                  <Typography.Text type="danger">{[d.code, d.reason].filter(Boolean).join(': ')}</Typography.Text>
                ),
            },
            {
              title: t('sources.log.col.deliveryId'),
              dataIndex: 'deliveryId',
              render: (id: string | null) => <Typography.Text type="secondary">{id ?? '—'}</Typography.Text>,
            },
          ]}
        />
      )}
    </Space>
  );
}
