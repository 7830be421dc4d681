import { Card, Collapse, Empty, Result, Segmented, Skeleton, Space, Statistic, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { useCustomerGrowth } from '../../api/stats.js';
import { type ChartOption, EChart } from './echart.js';
import { busiestDay } from './stats-logic.js';

const spans = [7, 30, 90] as const;

/**
 * 新增客户趋势: new customers per day (by first add time) over 7, 30 or 90 days, as a line, a
 * total and a spoken summary, with the daily numbers as a table behind a fold.
 */
export function GrowthCard({ days, onDays }: { days: number; onDays: (days: number) => void }) {
  const { t } = useTranslation('stats');
  const growth = useCustomerGrowth(days);
  const data = growth.data;
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', boundaryGap: false, data: (data?.days ?? []).map((d) => d.date.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'line', name: t('growth.customers'), data: (data?.days ?? []).map((d) => d.customers), areaStyle: { opacity: 0.15 }, showSymbol: days <= 30 },
      ],
    }),
    [data, days, t],
  );
  const peak = data ? busiestDay(data.days) : undefined;
  const summary = !data
    ? ''
    : peak
      ? t('growth.summary', { days: data.days.length, total: data.newCustomers, peakDate: peak.date, peak: peak.customers })
      : t('growth.summaryNone', { days: data.days.length });

  const picker = (
    <Segmented
      aria-label={t('growth.range')}
      value={days}
      onChange={(v) => onDays(Number(v))}
      options={spans.map((n) => ({ value: n, label: t('growth.days', { count: n }) }))}
    />
  );

  return (
    <Card title={t('growth.title')}>
      <div style={{ marginBottom: 16, overflowX: 'auto' }}>{picker}</div>
      {growth.isError && <Result status="error" title={t('common:loadFailed')} subTitle={errorText(growth.error)} />}
      {growth.isPending && <Skeleton active />}
      {data && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Statistic title={t('growth.total', { days: data.days.length })} value={data.newCustomers} />
          {data.newCustomers === 0 ? <Empty description={t('growth.empty')} /> : <EChart option={option} summary={summary} height={260} />}
          <Typography.Text type="secondary">{t('growth.note')}</Typography.Text>
          {data.newCustomers > 0 && (
            <Collapse
              ghost
              size="small"
              items={[
                {
                  key: 'table',
                  label: t('growth.showTable'),
                  children: (
                    <Table
                      aria-label={t('growth.tableLabel')}
                      rowKey="date"
                      size="small"
                      pagination={false}
                      dataSource={[...data.days].reverse()}
                      columns={[
                        { title: t('growth.date'), dataIndex: 'date' },
                        { title: t('growth.customers'), dataIndex: 'customers', align: 'right' },
                      ]}
                    />
                  ),
                },
              ]}
            />
          )}
        </Space>
      )}
    </Card>
  );
}
