import { DeleteOutlined, EditOutlined, KeyOutlined, PlusOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { App, Button, Empty, Popconfirm, Result, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { can, type MeDto } from '../../api/session.js';
import { type SubscriptionDto, type SubscriptionWithSecretDto, useSubscriptionActions, useSubscriptions } from '../../api/webhook-subscriptions.js';
import { PageHeader } from '../../components/page-header.js';
import { QueryState } from '../../components/query-state.js';
import { toShanghai } from '../contact-ways/campaign-window.js';
import { DeliveriesPanel } from './deliveries-panel.js';
import { SubscriptionSecretModal } from './secret-modal.js';
import { SubscriptionDrawer, type SubscriptionTarget } from './subscription-drawer.js';

/**
 * 事件推送: outbound webhook subscriptions — other systems told what changed here, each delivery
 * signed with the subscription's secret (shown once) and retried until it lands or gives up. List,
 * create and edit, rotate, delete, and each one's deliveries. Needs `corp.settings`.
 */
export default function WebhookSubscriptionsPage({ me }: { me: MeDto }) {
  const { t } = useTranslation('connector');
  const { message } = App.useApp();
  const allowed = can(me, 'corp.settings');
  const subscriptions = useSubscriptions(allowed);
  const actions = useSubscriptionActions();
  const [target, setTarget] = useState<SubscriptionTarget | null>(null);
  const [secret, setSecret] = useState<SubscriptionWithSecretDto | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const open = subscriptions.data?.find((s) => s.subscriptionId === openId) ?? null;
  if (!allowed) return <Result status="403" title={t('noAccess')} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader
        title={t('subs.title')}
        intro={t('subs.intro')}
        actions={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({ mode: 'new' })}>
            {t('subs.new')}
          </Button>
        }
      />
      <QueryState query={subscriptions} />
      {subscriptions.data && subscriptions.data.length === 0 && <Empty description={t('subs.empty')} />}
      {subscriptions.data && subscriptions.data.length > 0 && (
        <Table<SubscriptionDto>
          rowKey="subscriptionId"
          size="middle"
          pagination={false}
          scroll={{ x: 960 }}
          dataSource={subscriptions.data}
          columns={[
            {
              title: t('subs.field.name'),
              dataIndex: 'name',
              render: (name: string, s) => (
                <Button type="link" style={{ padding: 0 }} onClick={() => setOpenId(s.subscriptionId)}>
                  {name}
                </Button>
              ),
            },
            {
              title: t('subs.field.url'),
              dataIndex: 'url',
              render: (url: string) => (
                <Typography.Text ellipsis={{ tooltip: url }} style={{ maxWidth: 280 }}>
                  {url}
                </Typography.Text>
              ),
            },
            {
              title: t('subs.field.events'),
              dataIndex: 'events',
              render: (events: string[]) => (
                <Space size={[0, 4]} wrap>
                  {events.map((e) => (
                    <Tag key={e}>{e}</Tag>
                  ))}
                </Space>
              ),
            },
            {
              title: t('subs.field.enabled'),
              dataIndex: 'enabled',
              render: (on: boolean) => <Tag color={on ? 'success' : 'default'}>{on ? t('subs.on') : t('subs.paused')}</Tag>,
            },
            { title: t('subs.col.createdAt'), dataIndex: 'createdAt', render: (at: string) => toShanghai(at) },
            {
              title: t('subs.col.actions'),
              key: 'actions',
              width: 170,
              render: (_: unknown, s) => (
                <Space size={0}>
                  <Button
                    type="text"
                    size="small"
                    icon={<UnorderedListOutlined />}
                    aria-label={t('subs.deliveries', { name: s.name })}
                    onClick={() => setOpenId(s.subscriptionId)}
                  />
                  <Button
                    type="text"
                    size="small"
                    icon={<EditOutlined />}
                    aria-label={t('subs.edit', { name: s.name })}
                    onClick={() => setTarget({ mode: 'edit', subscription: s })}
                  />
                  <Popconfirm
                    title={t('subs.rotateConfirm', { name: s.name })}
                    description={t('subs.rotateHelp')}
                    okText={t('subs.rotate')}
                    cancelText={t('common:cancel')}
                    onConfirm={() => actions.rotate.mutate(s.subscriptionId, { onSuccess: setSecret, onError: (e) => message.error(errorText(e)) })}
                  >
                    <Button type="text" size="small" icon={<KeyOutlined />} aria-label={t('subs.rotateLabel', { name: s.name })} />
                  </Popconfirm>
                  <Popconfirm
                    title={t('subs.deleteConfirm', { name: s.name })}
                    description={t('subs.deleteHelp')}
                    okText={t('subs.delete')}
                    cancelText={t('common:cancel')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() =>
                      actions.remove.mutate(s.subscriptionId, {
                        onSuccess: () => message.success(t('subs.deleted')),
                        onError: (e) => message.error(errorText(e)),
                      })
                    }
                  >
                    <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('subs.deleteLabel', { name: s.name })} />
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      )}
      <SubscriptionDrawer target={target} onClose={() => setTarget(null)} onCreated={setSecret} />
      <SubscriptionSecretModal
        shown={secret}
        onClose={() => {
          setSecret(null);
          actions.rotate.reset();
        }}
      />
      <DeliveriesPanel subscription={open} onClose={() => setOpenId(null)} />
    </Space>
  );
}
