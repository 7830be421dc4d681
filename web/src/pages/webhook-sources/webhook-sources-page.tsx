import { DeleteOutlined, EditOutlined, ExperimentOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Empty, Popconfirm, Result, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { can, type MeDto } from '../../api/session.js';
import { type SourceWithSecretDto, useWebhookSourceActions, useWebhookSources, type WebhookSourceDto } from '../../api/webhook-sources.js';
import { PageHeader } from '../../components/page-header.js';
import { QueryState } from '../../components/query-state.js';
import { toShanghai } from '../contact-ways/campaign-window.js';
import { SecretModal } from './secret-modal.js';
import { SourceDrawer, type SourceTarget } from './source-drawer.js';
import { SourcePanel } from './source-panel.js';

/**
 * 数据接入: webhook sources other systems (a shop, a CRM) post signed events to. List, create and
 * edit with the JSON-path mapping, the secret shown once on creation and rotation, a test
 * delivery, and the delivery log. Everything here needs `rule.manage`, as the server checks.
 */
export default function WebhookSourcesPage({ me }: { me: MeDto }) {
  const { t } = useTranslation('inputs');
  const { message } = App.useApp();
  const allowed = can(me, 'rule.manage');
  const sources = useWebhookSources(allowed);
  const actions = useWebhookSourceActions();
  const [target, setTarget] = useState<SourceTarget | null>(null);
  const [secret, setSecret] = useState<SourceWithSecretDto | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const open = sources.data?.find((s) => s.sourceId === openId) ?? null;

  if (!allowed) return <Result status="403" title={t('noAccess')} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader
        title={t('sources.title')}
        intro={t('sources.intro')}
        actions={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({ mode: 'new' })}>
            {t('sources.new')}
          </Button>
        }
      />
      <QueryState query={sources} />
      {sources.data && sources.data.length === 0 && <Empty description={t('sources.empty')} />}
      {sources.data && sources.data.length > 0 && (
        <Table
          rowKey="sourceId"
          size="middle"
          pagination={false}
          scroll={{ x: 960 }}
          dataSource={sources.data}
          columns={[
            {
              title: t('sources.field.name'),
              dataIndex: 'name',
              render: (name: string, s: WebhookSourceDto) => (
                <Button type="link" style={{ padding: 0 }} onClick={() => setOpenId(s.sourceId)}>
                  {name}
                </Button>
              ),
            },
            {
              title: t('sources.field.url'),
              dataIndex: 'url',
              render: (url: string) => <Typography.Text copyable>{new URL(url, window.location.origin).toString()}</Typography.Text>,
            },
            {
              title: t('sources.mapping.eventType'),
              key: 'eventType',
              render: (_: unknown, s: WebhookSourceDto) => <Tag>{'value' in s.mapping.eventType ? s.mapping.eventType.value : s.mapping.eventType.path}</Tag>,
            },
            {
              title: t('sources.field.enabled'),
              dataIndex: 'enabled',
              render: (on: boolean) => <Tag color={on ? 'green' : 'default'}>{on ? t('sources.on') : t('sources.paused')}</Tag>,
            },
            { title: t('sources.col.rotatedAt'), dataIndex: 'rotatedAt', render: (at: string | null, s: WebhookSourceDto) => toShanghai(at ?? s.createdAt) },
            {
              title: t('contactWays.col.actions'),
              key: 'actions',
              width: 160,
              render: (_: unknown, s: WebhookSourceDto) => (
                <Space size={0}>
                  <Button
                    type="text"
                    size="small"
                    icon={<ExperimentOutlined />}
                    aria-label={t('sources.open', { name: s.name })}
                    onClick={() => setOpenId(s.sourceId)}
                  />
                  <Button
                    type="text"
                    size="small"
                    icon={<EditOutlined />}
                    aria-label={t('sources.edit', { name: s.name })}
                    onClick={() => setTarget({ mode: 'edit', source: s })}
                  />
                  <Popconfirm
                    title={t('sources.rotateConfirm', { name: s.name })}
                    description={t('sources.rotateHelp')}
                    okText={t('sources.rotate')}
                    cancelText={t('common:cancel')}
                    onConfirm={() => actions.rotate.mutate(s.sourceId, { onSuccess: setSecret, onError: (e) => message.error(errorText(e)) })}
                  >
                    <Button type="text" size="small" icon={<KeyOutlined />} aria-label={t('sources.rotateLabel', { name: s.name })} />
                  </Popconfirm>
                  <Popconfirm
                    title={t('sources.deleteConfirm', { name: s.name })}
                    description={t('sources.deleteHelp')}
                    okText={t('delete')}
                    cancelText={t('common:cancel')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() =>
                      actions.remove.mutate(s.sourceId, { onSuccess: () => message.success(t('deleted')), onError: (e) => message.error(errorText(e)) })
                    }
                  >
                    <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('sources.delete', { name: s.name })} />
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      )}
      <SourceDrawer target={target} onClose={() => setTarget(null)} onCreated={setSecret} />
      <SecretModal
        shown={secret}
        onClose={() => {
          setSecret(null);
          actions.rotate.reset();
        }}
      />
      <SourcePanel source={open} onClose={() => setOpenId(null)} />
    </Space>
  );
}
