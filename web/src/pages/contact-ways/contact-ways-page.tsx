import { DeleteOutlined, EditOutlined, PlusOutlined, QrcodeOutlined } from '@ant-design/icons';
import { App, Badge, Button, Empty, Popconfirm, Result, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { type ContactWayDto, useContactWayActions, useContactWays } from '../../api/contact-ways.js';
import { can, type MeDto } from '../../api/session.js';
import { useEmployees } from '../../api/smart-groups.js';
import { useTagGroups } from '../../api/tags.js';
import { PageHeader } from '../../components/page-header.js';
import { QueryState } from '../../components/query-state.js';
import { toShanghai, windowState } from './campaign-window.js';
import { ContactWayDetail } from './contact-way-detail.js';
import { ContactWayDrawer, type ContactWayTarget } from './contact-way-drawer.js';

const windowBadge = { always: 'default', upcoming: 'warning', open: 'success', ended: 'error' } as const;

/**
 * 渠道活码: the corp's contact ways (「联系我」 QR codes) with their state, employees, default tags
 * and campaign window, how many customers came in through each; create, change, delete, and a
 * detail with the QR code and who came in. Reading needs `customer.view`, changing `rule.manage`.
 */
export default function ContactWaysPage({ me }: { me: MeDto }) {
  const { t } = useTranslation('inputs');
  const { message } = App.useApp();
  const allowed = can(me, 'customer.view');
  const manage = can(me, 'rule.manage');
  const ways = useContactWays(allowed);
  const employees = useEmployees();
  const tagGroups = useTagGroups();
  const actions = useContactWayActions();
  const [target, setTarget] = useState<ContactWayTarget | null>(null);
  const [shownId, setShownId] = useState<string | null>(null);
  const shown = ways.data?.find((w) => w.configId === shownId) ?? null;
  const names = useMemo(() => {
    const byId = new Map((employees.data ?? []).map((e) => [e.userid, e.name]));
    return (userid: string) => byId.get(userid) ?? userid;
  }, [employees.data]);
  const tagNames = useMemo(() => new Map((tagGroups.data ?? []).flatMap((g) => g.tags.map((tag) => [tag.tagId, tag.name] as const))), [tagGroups.data]);

  if (!allowed) return <Result status="403" title={t('noAccess')} />;
  const now = new Date();
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader
        title={t('contactWays.title')}
        intro={t('contactWays.intro')}
        actions={
          manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({ mode: 'new' })}>
              {t('contactWays.new')}
            </Button>
          )
        }
      />
      <QueryState query={ways} />
      {ways.data && ways.data.length === 0 && <Empty description={t('contactWays.empty')} />}
      {ways.data && ways.data.length > 0 && (
        <Table
          rowKey="configId"
          size="middle"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 1100 }}
          dataSource={ways.data}
          columns={[
            {
              title: t('contactWays.field.remark'),
              dataIndex: 'remark',
              render: (remark: string, w: ContactWayDto) => (
                <Button type="link" style={{ padding: 0 }} onClick={() => setShownId(w.configId)}>
                  {remark || w.configId}
                </Button>
              ),
            },
            {
              title: t('contactWays.field.state'),
              dataIndex: 'state',
              render: (state: string) => state || <Typography.Text type="secondary">—</Typography.Text>,
            },
            {
              title: t('contactWays.field.type'),
              key: 'type',
              render: (_: unknown, w: ContactWayDto) => (
                <Space size={4} wrap>
                  <Tag>{t(`contactWays.type.${w.type}`)}</Tag>
                  <Tag>{t(`contactWays.scene.${w.scene}`)}</Tag>
                </Space>
              ),
            },
            { title: t('contactWays.field.userids'), dataIndex: 'userids', render: (ids: string[]) => ids.map(names).join('、') },
            {
              title: t('contactWays.field.defaultTagIds'),
              dataIndex: 'defaultTagIds',
              render: (ids: string[]) => (
                <Space size={4} wrap>
                  {ids.map((id) => (
                    <Tag key={id} color="blue">
                      {tagNames.get(id) ?? id}
                    </Tag>
                  ))}
                </Space>
              ),
            },
            {
              title: t('contactWays.col.window'),
              key: 'window',
              render: (_: unknown, w: ContactWayDto) => {
                const state = windowState(w.startsAt, w.endsAt, now);
                return (
                  <Space direction="vertical" size={0}>
                    <Badge status={windowBadge[state]} text={t(`contactWays.window.${state}`)} />
                    {state !== 'always' && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {w.startsAt ? toShanghai(w.startsAt) : t('contactWays.window.noStart')} →{' '}
                        {w.endsAt ? toShanghai(w.endsAt) : t('contactWays.window.noEnd')}
                      </Typography.Text>
                    )}
                  </Space>
                );
              },
            },
            { title: t('contactWays.col.customers'), dataIndex: 'customers', align: 'right' },
            {
              title: t('contactWays.col.actions'),
              key: 'actions',
              width: 130,
              render: (_: unknown, w: ContactWayDto) => {
                const name = w.remark || w.configId;
                return (
                  <Space size={0}>
                    <Button
                      type="text"
                      size="small"
                      icon={<QrcodeOutlined />}
                      aria-label={t('contactWays.show', { name })}
                      onClick={() => setShownId(w.configId)}
                    />
                    {manage && (
                      <>
                        <Button
                          type="text"
                          size="small"
                          icon={<EditOutlined />}
                          aria-label={t('contactWays.edit', { name })}
                          onClick={() => setTarget({ mode: 'edit', way: w })}
                        />
                        <Popconfirm
                          title={t('contactWays.deleteConfirm', { name })}
                          description={t('contactWays.deleteHelp')}
                          okText={t('delete')}
                          cancelText={t('common:cancel')}
                          okButtonProps={{ danger: true }}
                          onConfirm={() =>
                            actions.remove.mutate(w.configId, { onSuccess: () => message.success(t('deleted')), onError: (e) => message.error(errorText(e)) })
                          }
                        >
                          <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('contactWays.delete', { name })} />
                        </Popconfirm>
                      </>
                    )}
                  </Space>
                );
              },
            },
          ]}
        />
      )}
      <ContactWayDrawer target={target} onClose={() => setTarget(null)} />
      <ContactWayDetail way={shown} names={names} onClose={() => setShownId(null)} />
    </Space>
  );
}
