import { RedoOutlined, SendOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Empty, Popconfirm, Segmented, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { type DeliveryDto, type SubscriptionDto, useSubscriptionActions, useSubscriptionDeliveries } from '../../api/webhook-subscriptions.js';
import { QueryState } from '../../components/query-state.js';
import { toShanghai } from '../contact-ways/campaign-window.js';
import { DeliveryDrawer } from './delivery-drawer.js';
import { deliveryStatusColour } from './event-filter.js';

type StatusFilter = DeliveryDto['status'] | 'all';

/** A subscription's deliveries, newest first, filterable by status; a ping, replay of every dead one, and each delivery's attempts. */
export function DeliveriesPanel({ subscription, onClose }: { subscription: SubscriptionDto | null; onClose: () => void }) {
  const { t } = useTranslation('connector');
  const { message } = App.useApp();
  const [status, setStatus] = useState<StatusFilter>('all');
  const [openId, setOpenId] = useState<string | null>(null);
  const deliveries = useSubscriptionDeliveries(subscription?.subscriptionId, status === 'all' ? undefined : status);
  const actions = useSubscriptionActions();
  const fail = (e: unknown) => message.error(errorText(e));
  return (
    <Drawer
      open={subscription !== null}
      onClose={onClose}
      width="min(960px, 96vw)"
      title={t('deliveries.title', { name: subscription?.name ?? '' })}
      destroyOnHidden
    >
      {subscription && (
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          <Space wrap>
            <Segmented<StatusFilter>
              value={status}
              onChange={setStatus}
              options={(['all', 'pending', 'delivered', 'dead'] as const).map((value) => ({ value, label: t(`deliveries.filter.${value}`) }))}
            />
            <Button
              icon={<SendOutlined />}
              loading={actions.ping.isPending}
              onClick={() => actions.ping.mutate(subscription.subscriptionId, { onSuccess: () => void message.success(t('deliveries.pinged')), onError: fail })}
            >
              {t('deliveries.ping')}
            </Button>
            <Popconfirm
              title={t('deliveries.replayDeadConfirm')}
              okText={t('deliveries.replayDead')}
              cancelText={t('common:cancel')}
              onConfirm={() =>
                actions.replayDead.mutate(subscription.subscriptionId, { onSuccess: () => void message.success(t('deliveries.replayed')), onError: fail })
              }
            >
              <Button icon={<RedoOutlined />} loading={actions.replayDead.isPending}>
                {t('deliveries.replayDead')}
              </Button>
            </Popconfirm>
          </Space>
          <QueryState query={deliveries} />
          {deliveries.data && deliveries.data.length === 0 && <Empty description={t('deliveries.empty')} />}
          {deliveries.data && deliveries.data.length > 0 && (
            <Table<DeliveryDto>
              rowKey="deliveryId"
              size="small"
              pagination={false}
              scroll={{ x: 760 }}
              dataSource={deliveries.data}
              data-testid="deliveries"
              columns={[
                {
                  title: t('deliveries.col.status'),
                  dataIndex: 'status',
                  render: (s: DeliveryDto['status']) => <Tag color={deliveryStatusColour[s]}>{t(`deliveries.status.${s}`)}</Tag>,
                },
                {
                  title: t('deliveries.col.event'),
                  dataIndex: 'eventType',
                  render: (type: string, d) => (
                    <Button type="link" style={{ padding: 0 }} onClick={() => setOpenId(d.deliveryId)}>
                      {type}
                    </Button>
                  ),
                },
                { title: t('deliveries.col.attempts'), dataIndex: 'attempts', width: 80 },
                { title: t('deliveries.col.httpStatus'), dataIndex: 'lastStatus', render: (s: number | null, d) => s ?? d.lastError ?? '—' },
                { title: t('deliveries.col.latency'), dataIndex: 'lastLatencyMs', render: (ms: number | null) => (ms === null ? '—' : `${ms} ms`) },
                { title: t('deliveries.col.time'), dataIndex: 'createdAt', render: (at: string) => toShanghai(at) },
              ]}
            />
          )}
        </Space>
      )}
      <DeliveryDrawer deliveryId={openId} onClose={() => setOpenId(null)} />
    </Drawer>
  );
}
