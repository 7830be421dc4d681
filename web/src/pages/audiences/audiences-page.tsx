import { DeleteOutlined, DownloadOutlined, EditOutlined, PlusOutlined, QuestionCircleOutlined, TeamOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Empty, Grid, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { type SavedAudienceDto, useAudienceActions } from '../../api/audiences.js';
import { errorText } from '../../api/client.js';
import { useExportAudience, useSavedAudiences } from '../../api/imports.js';
import { can, type MeDto } from '../../api/session.js';
import { PageHeader } from '../../components/page-header.js';
import { QueryState } from '../../components/query-state.js';
import { AudienceDrawer, type AudienceTarget } from './audience-drawer.js';
import { ExplainPanel } from './explain-panel.js';

/** Where 客户列表 shows exactly this audience's customers. */
const customersLink = (audience: SavedAudienceDto) => `/customers?text=${encodeURIComponent(audience.text)}`;

/** "Why is this customer in / not in": the explain panel for one saved audience, in a drawer. */
function ExplainDrawer({ audience, onClose }: { audience: SavedAudienceDto | null; onClose: () => void }) {
  const { t } = useTranslation('audiences');
  return (
    <Drawer
      open={audience !== null}
      onClose={onClose}
      title={audience ? t('explain.titleFor', { name: audience.name }) : ''}
      width="min(640px, 96vw)"
      destroyOnHidden
    >
      {audience && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Text code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {audience.text}
          </Typography.Text>
          <ExplainPanel idPrefix="saved" exprKey={`${audience.audienceId}@${audience.updatedAt}`} expression={audience.expression} />
        </Space>
      )}
    </Drawer>
  );
}

/**
 * 人群 (saved audiences): each with its description, rule, current size and last change; open its
 * customers in 客户列表, export it, ask why a customer is in or out. Saving, editing and deleting
 * need `audience.manage`; exporting needs `customer.export` — as the server's abilities say.
 */
export default function AudiencesPage({ me }: { me: MeDto }) {
  const { t, i18n } = useTranslation('audiences');
  const { message } = App.useApp();
  const navigate = useNavigate();
  const audiences = useSavedAudiences(true);
  const actions = useAudienceActions();
  const exporting = useExportAudience();
  const [target, setTarget] = useState<AudienceTarget | null>(null);
  const [explaining, setExplaining] = useState<SavedAudienceDto | null>(null);
  // On a phone the rule and size go under the name and the actions shrink to icons, so a row fits.
  const narrow = !Grid.useBreakpoint().md;
  const manage = can(me, 'audience.manage');
  const mayExport = can(me, 'customer.export');
  const fail = { onError: (e: unknown) => message.error(errorText(e)) };
  const newButton = manage && (
    <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({ mode: 'new' })}>
      {t('new')}
    </Button>
  );

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader title={t('title')} intro={t('intro')} actions={newButton} />
      <QueryState query={audiences} />
      {audiences.data && (
        <Table
          rowKey="audienceId"
          size="middle"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={audiences.data}
          locale={{ emptyText: <Empty description={manage ? t('emptyManage') : t('empty')} /> }}
          columns={[
            {
              title: t('col.name'),
              dataIndex: 'name',
              onCell: () => ({ style: { minWidth: narrow ? 120 : 160 } }),
              render: (name: string, a: SavedAudienceDto) => (
                <Space direction="vertical" size={0}>
                  <Space size={6}>
                    <Typography.Text strong>{name}</Typography.Text>
                    {a.isPrivate && (
                      <Tooltip title={t('privateHelp')}>
                        <Tag color="purple">{t('private')}</Tag>
                      </Tooltip>
                    )}
                  </Space>
                  {a.description && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {a.description}
                    </Typography.Text>
                  )}
                  {narrow && (
                    <Typography.Text style={{ fontSize: 12 }}>{t('sizeShort', { count: a.size, size: a.size.toLocaleString(i18n.language) })}</Typography.Text>
                  )}
                  {narrow && (
                    <Typography.Text code style={{ fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                      {a.text}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            {
              title: t('col.size'),
              dataIndex: 'size',
              align: 'right',
              width: 120,
              hidden: narrow,
              render: (n: number) => <span data-testid="audience-size">{n.toLocaleString(i18n.language)}</span>,
            },
            {
              title: t('col.rule'),
              dataIndex: 'text',
              hidden: narrow,
              onCell: () => ({ style: { minWidth: 240 } }),
              render: (text: string) => (
                <Typography.Text code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {text}
                </Typography.Text>
              ),
            },
            {
              title: t('col.updatedAt'),
              dataIndex: 'updatedAt',
              width: 170,
              hidden: narrow,
              render: (at: string) => new Date(at).toLocaleString(i18n.language),
            },
            {
              title: t('col.actions'),
              key: 'actions',
              render: (_: unknown, a: SavedAudienceDto) => (
                <Space size={0} wrap={false}>
                  <Button
                    size="small"
                    type="link"
                    icon={<TeamOutlined />}
                    href={customersLink(a)}
                    aria-label={t('openCustomers', { name: a.name })}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(customersLink(a));
                    }}
                  >
                    {!narrow && t('customers')}
                  </Button>
                  <Button
                    size="small"
                    type="link"
                    icon={<QuestionCircleOutlined />}
                    onClick={() => setExplaining(a)}
                    aria-label={t('explain.open', { name: a.name })}
                  >
                    {!narrow && t('explain.short')}
                  </Button>
                  {mayExport && (
                    <Tooltip title={t('export')}>
                      <Button
                        size="small"
                        type="text"
                        icon={<DownloadOutlined />}
                        aria-label={t('exportOne', { name: a.name })}
                        loading={exporting.isPending && exporting.variables === a.text}
                        onClick={() => exporting.mutate(a.text, fail)}
                      />
                    </Tooltip>
                  )}
                  {manage && (
                    <>
                      <Button
                        size="small"
                        type="text"
                        icon={<EditOutlined />}
                        aria-label={t('edit', { name: a.name })}
                        onClick={() => setTarget({ mode: 'edit', audience: a })}
                      />
                      <Popconfirm
                        title={t('deleteConfirm', { name: a.name })}
                        description={t('deleteHelp')}
                        okText={t('delete')}
                        cancelText={t('common:cancel')}
                        okButtonProps={{ danger: true }}
                        onConfirm={() => actions.remove.mutate(a.audienceId, { ...fail, onSuccess: () => message.success(t('deleted')) })}
                      >
                        <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('deleteOne', { name: a.name })} />
                      </Popconfirm>
                    </>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}
      {target && <AudienceDrawer key={target.mode === 'edit' ? target.audience.audienceId : 'new'} target={target} onClose={() => setTarget(null)} />}
      <ExplainDrawer audience={explaining} onClose={() => setExplaining(null)} />
    </Space>
  );
}
