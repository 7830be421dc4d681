import { RedoOutlined } from '@ant-design/icons';
import { App, Button, Descriptions, Drawer, Empty, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { type AttemptDto, useDelivery, useSubscriptionActions } from '../../api/webhook-subscriptions.js';
import { QueryState } from '../../components/query-state.js';
import { toShanghai } from '../contact-ways/campaign-window.js';
import { deliveryStatusColour } from './event-filter.js';

/** One delivery: its event and status, every attempt (HTTP status or error, latency), and 重新投递. */
export function DeliveryDrawer({ deliveryId, onClose }: { deliveryId: string | null; onClose: () => void }) {
  const { t } = useTranslation('connector');
  const { message } = App.useApp();
  const delivery = useDelivery(deliveryId);
  const { replay } = useSubscriptionActions();
  const d = delivery.data;
  return (
    <Drawer
      open={deliveryId !== null}
      onClose={onClose}
      width="min(720px, 96vw)"
      title={t('deliveries.detailTitle')}
      destroyOnHidden
      extra={
        d && d.status !== 'pending' ? (
          <Button
            icon={<RedoOutlined />}
            loading={replay.isPending}
            onClick={() =>
              replay.mutate(d.deliveryId, {
                onSuccess: () => {
                  message.success(t('deliveries.replayed'));
                  void delivery.refetch();
                },
                onError: (e) => message.error(errorText(e)),
              })
            }
          >
            {t('deliveries.replay')}
          </Button>
        ) : undefined
      }
    >
      <QueryState query={delivery} />
      {d && (
        <>
          <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('deliveries.col.status')}>
              <Tag color={deliveryStatusColour[d.status]}>{t(`deliveries.status.${d.status}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('deliveries.col.event')}>{d.eventType}</Descriptions.Item>
            {d.idempotencyKey && (
              <Descriptions.Item label={t('deliveries.idempotencyKey')}>
                <Typography.Text code copyable>
                  {d.idempotencyKey}
                </Typography.Text>
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('deliveries.col.time')}>{toShanghai(d.createdAt)}</Descriptions.Item>
            {d.nextAttemptAt && d.status === 'pending' && (
              <Descriptions.Item label={t('deliveries.nextAttempt')}>{toShanghai(d.nextAttemptAt)}</Descriptions.Item>
            )}
          </Descriptions>
          <Typography.Title level={5}>{t('deliveries.attemptsTitle', { count: d.attempts })}</Typography.Title>
          {d.attemptLog.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('deliveries.noAttempts')} />
          ) : (
            <Table<AttemptDto>
              rowKey={(a) => String(a.attempt ?? a.attemptedAt)}
              size="small"
              pagination={false}
              dataSource={d.attemptLog}
              columns={[
                { title: t('deliveries.col.time'), dataIndex: 'attemptedAt', render: (at: string) => toShanghai(at) },
                { title: t('deliveries.col.httpStatus'), dataIndex: 'status', render: (s: number | null) => s ?? '—' },
                { title: t('deliveries.col.latency'), dataIndex: 'latencyMs', render: (ms: number | null) => (ms === null ? '—' : `${ms} ms`) },
                { title: t('deliveries.col.error'), dataIndex: 'error', render: (e: string | null) => e ?? '—' },
              ]}
            />
          )}
        </>
      )}
    </Drawer>
  );
}
