import { Alert, Card, Col, DatePicker, Empty, Row, Space, Statistic, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type MomentsSummaryDto, useMomentsSummary } from '../../api/moments.js';
import { QueryState } from '../../components/query-state.js';
import { type ChartOption, EChart } from '../stats/echart.js';
import { percent } from './moment-charts.js';

/** Targeted and broadcast conversion week by week, as two lines. */
function LiftChart({ summary }: { summary: MomentsSummaryDto }) {
  const { t } = useTranslation('moments');
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '—' : `${Number(v).toFixed(2)}%`) },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: summary.weeks.map((w) => dayjs(w.weekStart).format('MM-DD')) },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
      series: [
        {
          type: 'line',
          name: t('summary.targeted'),
          color: '#1677ff',
          connectNulls: true,
          data: summary.weeks.map((w) => (w.targetedRate === null ? null : w.targetedRate * 100)),
        },
        {
          type: 'line',
          name: t('summary.broadcast'),
          color: '#8c8c8c',
          lineStyle: { type: 'dashed' },
          connectNulls: true,
          data: summary.weeks.map((w) => (w.broadcastRate === null ? null : w.broadcastRate * 100)),
        },
      ],
    }),
    [summary, t],
  );
  return (
    <EChart
      option={option}
      height={280}
      summary={summary.weeks.map((w) => `${dayjs(w.weekStart).format('MM-DD')}: ${percent(w.targetedRate)} / ${percent(w.broadcastRate)}`).join(', ')}
    />
  );
}

/**
 * 数据: the corp's posts over a period, targeted posts against broadcasts — conversion of each,
 * the lift (targeted ÷ broadcast), and both week by week.
 */
export function SummaryTab() {
  const { t } = useTranslation('moments');
  const [range, setRange] = useState<[dayjs.Dayjs, dayjs.Dayjs]>(() => [dayjs().subtract(12, 'week').startOf('day'), dayjs().endOf('day')]);
  const summary = useMomentsSummary({ from: range[0].toISOString(), to: range[1].toISOString() });
  const s = summary.data;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="moments-summary">
      <DatePicker.RangePicker
        aria-label={t('summary.period')}
        value={range}
        allowClear={false}
        onChange={(v) => v?.[0] && v[1] && setRange([v[0].startOf('day'), v[1].endOf('day')])}
      />
      {!s && <QueryState query={summary} />}
      {s && s.posts === 0 && <Empty description={t('summary.empty')} />}
      {s && s.posts > 0 && (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t('summary.posts')} value={s.posts} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t('summary.targetedRate')} value={percent(s.targeted.conversionRate)} />
                <Typography.Text type="secondary">{t('summary.postsN', { n: s.targeted.posts })}</Typography.Text>
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t('summary.broadcastRate')} value={percent(s.broadcast.conversionRate)} />
                <Typography.Text type="secondary">{t('summary.postsN', { n: s.broadcast.posts })}</Typography.Text>
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t('summary.lift')}
                  value={s.lift === null ? '—' : `${s.lift.toFixed(2)}×`}
                  styles={{ content: { color: s.lift !== null && s.lift >= 1 ? '#389e0d' : undefined } }}
                />
                <Typography.Text type="secondary">{t('summary.liftHelp')}</Typography.Text>
              </Card>
            </Col>
          </Row>
          {s.lift === null && <Alert type="info" showIcon title={t('summary.noBroadcast')} />}
          <Card size="small" title={t('summary.weekly')}>
            <LiftChart summary={s} />
          </Card>
          <Card size="small" title={t('summary.cohorts')}>
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={[
                { key: 'targeted', ...s.targeted },
                { key: 'broadcast', ...s.broadcast },
              ]}
              columns={[
                { title: t('summary.cohort'), dataIndex: 'key', render: (k: string) => t(`summary.${k}`) },
                { title: t('summary.posts'), dataIndex: 'posts', align: 'right' },
                ...(['delivered', 'viewed', 'notInterested', 'converted'] as const).map((step) => ({
                  title: t(`funnel.${step}`),
                  key: step,
                  align: 'right' as const,
                  render: (_: unknown, c: { funnel: Record<string, number> }) => (c.funnel[step] ?? 0).toLocaleString(),
                })),
                { title: t('rate.conversion'), dataIndex: 'conversionRate', align: 'right', render: (r: number) => percent(r) },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
