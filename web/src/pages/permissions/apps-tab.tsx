import { EditOutlined, PlusOutlined, SyncOutlined } from '@ant-design/icons';
import { App, Button, Tag as Chip, Empty, Result, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AppDto, type AppWithSecretDto, useAppActions, useApps } from '../../api/admin.js';
import { errorText } from '../../api/client.js';
import { AppModal } from './app-form.js';
import { SecretOnce } from './secret-once.js';

/**
 * 应用: the corp's apps with their kind and visible range; create one, change its name and range,
 * and rotate its secret. A new secret is shown once in a dialog and forgotten when it closes.
 */
export function AppsTab() {
  const { t, i18n } = useTranslation('permissions');
  const { message, modal } = App.useApp();
  const apps = useApps();
  const { rotate } = useAppActions();
  const [editing, setEditing] = useState<AppDto | 'new' | null>(null);
  const [secret, setSecret] = useState<{ appName: string; secret: string } | null>(null);
  const showSecret = (r: AppWithSecretDto) => setSecret({ appName: r.app.name, secret: r.secret });
  const closeSecret = () => (setSecret(null), rotate.reset());
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : t('apps.never'));
  const confirmRotate = (a: AppDto) =>
    modal.confirm({
      title: t('apps.rotateOf', { name: a.name }),
      content: t('apps.rotateConfirm'),
      okButtonProps: { danger: true },
      okText: t('apps.rotate'),
      cancelText: t('common:cancel'),
      onOk: () => rotate.mutateAsync(a.appId).then(showSecret, (error: unknown) => message.error(errorText(error))),
    });

  const columns = [
    { key: 'name', title: t('apps.name'), dataIndex: 'name' },
    {
      key: 'kind',
      title: t('apps.kind'),
      render: (_: unknown, a: AppDto) => <Chip color={a.kind === 'customer_contact' ? 'blue' : 'default'}>{t(`apps.${a.kind}`)}</Chip>,
    },
    {
      key: 'range',
      title: t('apps.range'),
      render: (_: unknown, a: AppDto) =>
        a.range ? t('apps.rangeSummary', { departments: a.range.departments.length, members: a.range.userids.length }) : t('apps.wholeCorp'),
    },
    { key: 'rotatedAt', title: t('apps.rotatedAt'), render: (_: unknown, a: AppDto) => when(a.rotatedAt) },
    {
      key: 'actions',
      title: t('apps.actions'),
      render: (_: unknown, a: AppDto) => (
        <Space size={0}>
          <Button type="link" size="small" icon={<EditOutlined />} aria-label={t('apps.editOf', { name: a.name })} onClick={() => setEditing(a)}>
            {t('apps.edit')}
          </Button>
          <Button type="link" size="small" danger icon={<SyncOutlined />} aria-label={t('apps.rotateOf', { name: a.name })} onClick={() => confirmRotate(a)}>
            {t('apps.rotate')}
          </Button>
        </Space>
      ),
    },
  ];

  if (apps.isError)
    return (
      <Result
        status="error"
        title={t('common:loadFailed')}
        subTitle={errorText(apps.error)}
        extra={<Button onClick={() => void apps.refetch()}>{t('common:retry')}</Button>}
      />
    );
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
        {t('apps.new')}
      </Button>
      <Table<AppDto>
        size="small"
        rowKey="appId"
        loading={apps.isPending}
        dataSource={apps.data ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 760 }}
        locale={{ emptyText: <Empty description={t('apps.empty')} /> }}
      />
      <AppModal app={editing} onClose={() => setEditing(null)} onCreated={showSecret} />
      <SecretOnce shown={secret} onClose={closeSecret} />
    </Space>
  );
}
