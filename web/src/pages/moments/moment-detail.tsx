import { App, Button, Card, Col, Descriptions, Drawer, Empty, Popconfirm, Row, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { type MomentDeliveryDto, type MomentDto, useDeliveries, useMoment, useMomentActions, useMomentAnalytics } from '../../api/moments.js';
import { useEmployees } from '../../api/smart-groups.js';
import { CursorPager, useCursorPages } from '../../components/cursor-pager.js';
import { QueryState } from '../../components/query-state.js';
import { FunnelChart, funnelSteps, percent, RatesCompared } from './moment-charts.js';
import { StatusTag, scheduleText } from './moment-status.js';
import { ReductionRows } from './preview-panel.js';

/** 送达明细: the planned deliveries page by page, optionally of one sender. */
function DeliveriesTab({ moment }: { moment: MomentDto }) {
  const { t } = useTranslation('moments');
  const [sender, setSender] = useState<string | undefined>();
  const pages = useCursorPages();
  const deliveries = useDeliveries(moment.momentId, { sender, cursor: pages.cursor });
  const employees = useEmployees();
  const names = useMemo(() => new Map((employees.data ?? []).map((e) => [e.userid, e.name || e.userid])), [employees.data]);
  // The chosen senders, or (none chosen: everyone in reach) every employee the viewer may see.
  const senderOptions = useMemo(
    () => (moment.senders.userids.length > 0 ? moment.senders.userids : [...names.keys()]).map((u) => ({ value: u, label: names.get(u) ?? u })),
    [moment.senders.userids, names],
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          aria-label={t('detail.sender')}
          placeholder={t('detail.sender')}
          options={senderOptions}
          value={sender}
          onChange={(v) => {
            setSender(v);
            pages.reset();
          }}
          style={{ width: 200 }}
        />
      </Space>
      <QueryState query={deliveries} rows={4} />
      {deliveries.data && (
        <>
          <Table<MomentDeliveryDto>
            size="small"
            rowKey={(d) => `${d.externalUserid}-${d.sender}`}
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={deliveries.data.deliveries}
            locale={{ emptyText: <Empty description={t('detail.noDeliveries')} /> }}
            columns={[
              { title: t('detail.customer'), dataIndex: 'name', render: (name: string, d) => name || d.externalUserid },
              { title: t('detail.sender'), dataIndex: 'sender', render: (u: string) => names.get(u) ?? u },
              { title: t('detail.variant'), dataIndex: 'variant', render: (v: number) => (v === -1 ? t('variants.main') : (moment.variants[v]?.label ?? v)) },
              { title: t('detail.plannedAt'), dataIndex: 'plannedAt', render: (at: string) => new Date(at).toLocaleString() },
              {
                title: t('detail.status'),
                dataIndex: 'status',
                render: (s: string) => <Tag color={s === 'sent' ? 'green' : s === 'cancelled' ? 'default' : 'blue'}>{t(`delivery.${s}`)}</Tag>,
              },
            ]}
          />
          <CursorPager pages={pages} nextCursor={deliveries.data.nextCursor} />
        </>
      )}
    </Space>
  );
}

/** 效果: the funnel with its rates, the same by each tag of the include, and the variants compared. */
function AnalyticsTab({ momentId }: { momentId: string }) {
  const { t } = useTranslation('moments');
  const analytics = useMomentAnalytics(momentId);
  if (!analytics.data) return <QueryState query={analytics} rows={6} />;
  const a = analytics.data;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="moment-analytics">
      <Row gutter={[16, 16]}>
        {(['delivered', 'viewed', 'notInterested', 'converted'] as const).map((step) => (
          <Col xs={12} md={6} key={step}>
            <Card size="small">
              <Statistic title={t(`funnel.${step}`)} value={a.funnel[step]} />
              {step !== 'delivered' && <Typography.Text type="secondary">{percent(step === 'converted' ? a.rates.conversion : a.rates[step])}</Typography.Text>}
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small" title={t('analytics.funnel')} extra={t('analytics.attribution', { days: a.attributionDays })}>
        <FunnelChart funnel={a.funnel} />
        <Table
          size="small"
          rowKey="step"
          pagination={false}
          dataSource={funnelSteps.map((step) => ({ step, value: a.funnel[step], rate: step === 'converted' ? a.rates.conversion : a.rates[step] }))}
          columns={[
            { title: t('analytics.step'), dataIndex: 'step', render: (s: string) => t(`funnel.${s}`) },
            { title: t('analytics.customers'), dataIndex: 'value', align: 'right', render: (n: number) => n.toLocaleString() },
            { title: t('analytics.rate'), dataIndex: 'rate', align: 'right', render: (r: number | undefined) => percent(r) },
          ]}
        />
      </Card>
      <Card size="small" title={t('analytics.byTag')}>
        {a.byTag.length === 0 ? (
          <Empty description={t('analytics.noTags')} />
        ) : (
          <RatesCompared testId="moment-by-tag" rows={a.byTag.map((r) => ({ key: r.tagId, name: r.name, funnel: r.funnel, rates: r.rates }))} />
        )}
      </Card>
      {a.byVariant.length > 1 && (
        <Card size="small" title={t('analytics.byVariant')}>
          <RatesCompared
            testId="moment-by-variant"
            rows={a.byVariant.map((r) => ({ key: String(r.variant), name: r.variant === -1 ? t('variants.main') : r.label, funnel: r.funnel, rates: r.rates }))}
          />
        </Card>
      )}
    </Space>
  );
}

/**
 * A post in full: its status, content, audience and the reductions it was scheduled with, its
 * deliveries per sender, and its analytics. A scheduled or sending post can be cancelled here.
 */
export function MomentDetail({ momentId, canPublish, onClose }: { momentId: string; canPublish: boolean; onClose: () => void }) {
  const { t } = useTranslation('moments');
  const { message } = App.useApp();
  const moment = useMoment(momentId);
  const actions = useMomentActions();
  const m = moment.data;
  const cancellable = m && (m.status === 'scheduled' || m.status === 'sending');
  return (
    <Drawer
      open
      onClose={onClose}
      size="min(1080px, 100vw)"
      title={
        m ? (
          <Space wrap>
            {t('detail.title')}
            <StatusTag status={m.status} />
          </Space>
        ) : (
          t('detail.title')
        )
      }
      extra={
        canPublish &&
        cancellable && (
          <Popconfirm
            title={t('detail.cancelConfirm')}
            description={t('detail.cancelHelp', { planned: m.deliveries.planned - m.deliveries.sent })}
            okText={t('detail.cancel')}
            cancelText={t('common:cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() =>
              actions.cancel.mutateAsync(m.momentId).then(
                () => message.success(t('detail.cancelled')),
                (e: unknown) => message.error(errorText(e)),
              )
            }
          >
            <Button danger>{t('detail.cancel')}</Button>
          </Popconfirm>
        )
      }
    >
      <QueryState query={moment} />
      {m && (
        <Tabs
          items={[
            {
              key: 'overview',
              label: t('detail.overview'),
              children: (
                <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
                  <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
                    <Descriptions.Item label={t('detail.text')} span="filled">
                      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{m.text || '—'}</Typography.Paragraph>
                    </Descriptions.Item>
                    <Descriptions.Item label={t('composer.attachments')} span="filled">
                      {m.attachments.length === 0
                        ? t('attachment.none')
                        : m.attachments.map((a) => (
                            <Tag key={a.msgtype === 'image' ? a.image.mediaId : a.msgtype === 'video' ? a.video.mediaId : a.link.url}>
                              {t(`attachment.${a.msgtype}`)}
                              {a.msgtype === 'link' ? ` · ${a.link.title ?? a.link.url}` : ''}
                            </Tag>
                          ))}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('composer.include')}>{m.audience.include?.text ?? t('list.everyone')}</Descriptions.Item>
                    <Descriptions.Item label={t('composer.exclude')}>{m.audience.exclude?.text ?? t('list.nobody')}</Descriptions.Item>
                    <Descriptions.Item label={t('schedule.label')}>{scheduleText(t, m.schedule)}</Descriptions.Item>
                    <Descriptions.Item label={t('detail.author')}>{m.author}</Descriptions.Item>
                    <Descriptions.Item label={t('detail.deliveries')} span="filled">
                      {t('detail.deliveryCounts', m.deliveries)}
                    </Descriptions.Item>
                    {m.variants.length > 0 && (
                      <Descriptions.Item label={t('variants.title')} span="filled">
                        {m.variants.map((v) => (
                          <Tag key={v.label}>{`${v.label} ${v.fromHour}:00–${v.toHour}:00`}</Tag>
                        ))}
                      </Descriptions.Item>
                    )}
                  </Descriptions>
                  {m.counts && (
                    <Card size="small" title={t('detail.audienceAtSchedule')}>
                      <ReductionRows counts={m.counts} />
                    </Card>
                  )}
                </Space>
              ),
            },
            { key: 'deliveries', label: t('detail.deliveries'), children: <DeliveriesTab moment={m} />, disabled: m.status === 'draft' },
            { key: 'analytics', label: t('detail.analytics'), children: <AnalyticsTab momentId={m.momentId} />, disabled: m.status === 'draft' },
          ]}
        />
      )}
    </Drawer>
  );
}
