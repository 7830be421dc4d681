import { Table } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Funnel } from '../../../../contracts/moments.js';
import { type ChartOption, EChart } from '../stats/echart.js';

/** The funnel's steps in order, targeted to converted. */
export const funnelSteps = [
  'targeted',
  'delivered',
  'viewed',
  'liked',
  'commented',
  'clicked',
  'notInterested',
  'converted',
] as const satisfies readonly (keyof Funnel)[];

/** A rate as a percentage with one decimal, or — when there is nothing to divide by. */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined || !Number.isFinite(rate) ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** A post's funnel as horizontal bars (targeted at the top), with its numbers in a table for a screen reader. */
export function FunnelChart({ funnel }: { funnel: Funnel }) {
  const { t } = useTranslation('moments');
  const labels = funnelSteps.map((s) => t(`funnel.${s}`));
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: [...labels].reverse() },
      series: [
        {
          type: 'bar',
          data: [...funnelSteps]
            .reverse()
            .map((s) => ({ value: funnel[s], itemStyle: { color: s === 'notInterested' ? '#ff7875' : s === 'converted' ? '#52c41a' : '#1677ff' } })),
          label: { show: true, position: 'right' },
        },
      ],
    }),
    [funnel, labels],
  );
  return <EChart option={option} height={280} summary={funnelSteps.map((s, i) => `${labels[i]} ${funnel[s]}`).join(', ')} />;
}

/** Rates compared across rows (tags or variants): viewed, liked, not interested and conversion, as grouped bars and a table. */
export function RatesCompared({ rows, testId }: { rows: { key: string; name: string; funnel: Funnel; rates: Record<string, number> }[]; testId: string }) {
  const { t } = useTranslation('moments');
  const rates = ['viewed', 'liked', 'notInterested', 'conversion'] as const;
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${Number(v).toFixed(1)}%` },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0 },
      xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { interval: 0, overflow: 'truncate', width: 90 } },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
      series: rates.map((rate) => ({ type: 'bar', name: t(`rate.${rate}`), data: rows.map((r) => Number(((r.rates[rate] ?? 0) * 100).toFixed(1))) })),
    }),
    [rows, t],
  );
  return (
    <div data-testid={testId}>
      <EChart option={option} height={260} summary={rows.map((r) => `${r.name}: ${percent(r.rates.conversion)}`).join(', ')} />
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={rows}
        columns={[
          { title: t('analytics.name'), dataIndex: 'name' },
          { title: t('funnel.delivered'), key: 'delivered', align: 'right', render: (_: unknown, r) => r.funnel.delivered.toLocaleString() },
          ...rates.map((rate) => ({
            title: t(`rate.${rate}`),
            key: rate,
            align: 'right' as const,
            render: (_: unknown, r: (typeof rows)[number]) => percent(r.rates[rate]),
          })),
        ]}
      />
    </div>
  );
}
