import { CopyOutlined, DeleteOutlined, EditOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Empty, Grid, Input, Popconfirm, Segmented, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { errorText } from '../../api/client.js';
import { type MomentDto, type MomentStatusName, useMomentActions, useMomentCounts, useMoments } from '../../api/moments.js';
import { can, type MeDto } from '../../api/session.js';
import { CursorPager, useCursorPages } from '../../components/cursor-pager.js';
import { PageHeader } from '../../components/page-header.js';
import { QueryState } from '../../components/query-state.js';
import { useDebounced } from '../../components/use-debounced.js';
import { type ComposerTarget, MomentComposer } from './moment-composer.js';
import { MomentDetail } from './moment-detail.js';
import { momentStatuses, StatusTag, scheduleText } from './moment-status.js';
import { SummaryTab } from './summary-tab.js';
import { SuppressionsTab } from './suppressions-tab.js';

/** The post list: by status (with how many in each) and text, newest first, paged. */
function PostsTab({ canPublish, onOpen, onCompose }: { canPublish: boolean; onOpen: (id: string) => void; onCompose: (target: ComposerTarget) => void }) {
  const { t } = useTranslation('moments');
  const [status, setStatus] = useState<MomentStatusName | 'all'>('all');
  const [q, setQ] = useState('');
  const pages = useCursorPages();
  const search = useDebounced(q.trim(), 300);
  const list = useMoments({ status: status === 'all' ? undefined : status, q: search || undefined, cursor: pages.cursor });
  const counts = useMomentCounts(momentStatuses);
  const { message } = App.useApp();
  const actions = useMomentActions();
  const countOf = (s: MomentStatusName) => {
    const c = counts.data?.[s];
    return c ? ` ${c.count}${c.more ? '+' : ''}` : '';
  };
  // Five statuses side by side overflow a phone: there the filter is a select.
  const wide = Grid.useBreakpoint().md ?? true;
  const statusOptions = [{ value: 'all', label: t('list.all') }, ...momentStatuses.map((s) => ({ value: s, label: `${t(`status.${s}`)}${countOf(s)}` }))];
  const pickStatus = (v: string) => {
    setStatus(v as MomentStatusName | 'all');
    pages.reset();
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        {wide ? (
          <Segmented aria-label={t('list.status')} value={status} onChange={pickStatus} options={statusOptions} />
        ) : (
          <Select aria-label={t('list.status')} value={status} onChange={pickStatus} options={statusOptions} style={{ width: 160 }} />
        )}
        <Input.Search
          allowClear
          aria-label={t('list.search')}
          placeholder={t('list.search')}
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            pages.reset();
          }}
          style={{ width: 240 }}
        />
      </Space>
      <QueryState query={list} />
      {list.data && (
        <>
          <Table<MomentDto>
            rowKey="momentId"
            size="middle"
            scroll={{ x: 'max-content' }}
            pagination={false}
            dataSource={list.data.moments}
            locale={{
              emptyText: (
                <Empty description={search || status !== 'all' ? t('list.noMatch') : t('list.empty')}>
                  {canPublish && !search && status === 'all' && (
                    <Button type="primary" icon={<PlusOutlined />} onClick={() => onCompose({ mode: 'new' })}>
                      {t('new')}
                    </Button>
                  )}
                </Empty>
              ),
            }}
            onRow={(m) => ({ onDoubleClick: () => onOpen(m.momentId) })}
            columns={[
              {
                title: t('list.post'),
                key: 'post',
                render: (_: unknown, m) => (
                  <Typography.Text ellipsis={{ tooltip: m.text }} style={{ maxWidth: 280, display: 'inline-block' }}>
                    {m.text || t('list.noText')}
                  </Typography.Text>
                ),
              },
              { title: t('list.status'), dataIndex: 'status', render: (s: MomentStatusName) => <StatusTag status={s} /> },
              {
                title: t('list.audience'),
                key: 'audience',
                render: (_: unknown, m) => (
                  <Space size={[0, 4]} wrap style={{ maxWidth: 300 }}>
                    {m.audience.include ? <Tag color="blue">{m.audience.include.text}</Tag> : <Tag>{t('list.everyone')}</Tag>}
                    {m.audience.exclude && <Tag color="red">−{m.audience.exclude.text}</Tag>}
                  </Space>
                ),
              },
              {
                title: t('list.reach'),
                key: 'reach',
                align: 'right',
                render: (_: unknown, m) => (m.counts ? m.counts.remaining.toLocaleString() : '—'),
              },
              { title: t('list.delivered'), key: 'delivered', align: 'right', render: (_: unknown, m) => `${m.deliveries.sent} / ${m.deliveries.planned}` },
              { title: t('schedule.label'), key: 'schedule', render: (_: unknown, m) => scheduleText(t, m.schedule) },
              { title: t('list.created'), dataIndex: 'createdAt', render: (at: string) => new Date(at).toLocaleString() },
              {
                title: t('list.actions'),
                key: 'actions',
                render: (_: unknown, m) => (
                  <Space size={0}>
                    <Tooltip title={t('list.open')}>
                      <Button type="text" icon={<EyeOutlined />} aria-label={t('list.openOf', { id: m.momentId })} onClick={() => onOpen(m.momentId)} />
                    </Tooltip>
                    {canPublish && m.status === 'draft' && (
                      <Tooltip title={t('list.edit')}>
                        <Button
                          type="text"
                          icon={<EditOutlined />}
                          aria-label={t('list.editOf', { id: m.momentId })}
                          onClick={() => onCompose({ mode: 'edit', moment: m })}
                        />
                      </Tooltip>
                    )}
                    {canPublish && m.status === 'draft' && (
                      <Popconfirm
                        title={t('list.deleteConfirm')}
                        okText={t('list.delete')}
                        cancelText={t('common:cancel')}
                        okButtonProps={{ danger: true }}
                        onConfirm={() =>
                          actions.remove.mutateAsync(m.momentId).then(
                            () => message.success(t('list.deleted')),
                            (e: unknown) => message.error(errorText(e)),
                          )
                        }
                      >
                        <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('list.deleteOf', { id: m.momentId })} />
                      </Popconfirm>
                    )}
                    {canPublish && (
                      <Tooltip title={t('list.copy')}>
                        <Button
                          type="text"
                          icon={<CopyOutlined />}
                          aria-label={t('list.copyOf', { id: m.momentId })}
                          onClick={() => onCompose({ mode: 'copy', moment: m })}
                        />
                      </Tooltip>
                    )}
                  </Space>
                ),
              },
            ]}
          />
          <CursorPager pages={pages} nextCursor={list.data.nextCursor} />
        </>
      )}
    </Space>
  );
}

const tabs = ['posts', 'data', 'suppressions'] as const;

/**
 * 客户朋友圈: posts to the customers a tag expression picks (minus exclusions, suppressions and the
 * frequency cap), their deliveries and analytics, the corp's targeted-against-broadcast numbers,
 * and the 不感兴趣 suppression list. Only those with `moment.publish` compose, cancel and lift.
 */
export default function MomentsPage({ me }: { me: MeDto }) {
  const { t } = useTranslation('moments');
  const canPublish = can(me, 'moment.publish');
  const [params, setParams] = useSearchParams();
  const tab = tabs.find((k) => k === params.get('tab')) ?? 'posts';
  const [composer, setComposer] = useState<ComposerTarget | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader
        title={t('title')}
        intro={t('intro')}
        actions={
          canPublish && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setComposer({ mode: 'new' })}>
              {t('new')}
            </Button>
          )
        }
      />
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'posts' ? {} : { tab: key }, { replace: true })}
        items={[
          { key: 'posts', label: t('tab.posts'), children: <PostsTab canPublish={canPublish} onOpen={setOpenId} onCompose={setComposer} /> },
          { key: 'data', label: t('tab.data'), children: <SummaryTab /> },
          { key: 'suppressions', label: t('tab.suppressions'), children: <SuppressionsTab canPublish={canPublish} onOpenMoment={setOpenId} /> },
        ]}
      />
      {composer && (
        <MomentComposer
          key={composer.mode === 'new' ? 'new' : `${composer.mode}-${composer.moment.momentId}`}
          target={composer}
          onClose={() => setComposer(null)}
        />
      )}
      {openId && <MomentDetail key={openId} momentId={openId} canPublish={canPublish} onClose={() => setOpenId(null)} />}
    </Space>
  );
}
