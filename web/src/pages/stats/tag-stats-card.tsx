import { Card, Empty, Result, Select, Skeleton, Space, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorText } from '../../api/client.js';
import { useTagStats } from '../../api/stats.js';
import { useTagGroups } from '../../api/tags.js';
import { type ChartOption, EChart } from './echart.js';
import { customersOfBar, type TagBar, tagBars } from './stats-logic.js';

/**
 * 标签客户分布: pick a tag group, see how many customers (of those the user may see) carry each of
 * its tags and how many carry none, as bars and as a table; a bar opens 客户列表 filtered by it.
 */
export function TagStatsCard({ groupId, onGroup }: { groupId: string | undefined; onGroup: (groupId: string) => void }) {
  const { t } = useTranslation('stats');
  const navigate = useNavigate();
  const groups = useTagGroups();
  const chosen = groupId ?? groups.data?.[0]?.groupId;
  const stats = useTagStats(chosen);
  const bars = useMemo(() => (stats.data ? tagBars(stats.data, t('tags.none')) : []), [stats.data, t]);
  const open = (bar: TagBar | undefined) => bar && navigate(`/customers?text=${encodeURIComponent(customersOfBar(bar, bars, stats.data!.groupName))}`);
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'item' },
      // Each bar carries its number; axis numbers would only crowd a narrow screen.
      xAxis: { type: 'value', minInterval: 1, axisLabel: { show: false } },
      // The first tag on top, as in the tag library.
      yAxis: { type: 'category', inverse: true, data: bars.map((b) => b.name), axisLabel: { width: 100, overflow: 'truncate' } },
      series: [
        {
          type: 'bar',
          name: t('tags.customers'),
          data: bars.map((b) => ({ value: b.customers, itemStyle: b.kind === 'none' ? { color: '#8c8c8c' } : undefined })),
          label: { show: true, position: 'right' },
          cursor: 'pointer',
          barMaxWidth: 28,
        },
      ],
    }),
    [bars, t],
  );
  const summary = stats.data
    ? t('tags.summary', {
        group: stats.data.groupName,
        items: bars.map((b) => t('tags.item', { name: b.name, count: b.customers })).join('，'),
        total: stats.data.visibleCustomers,
      })
    : '';

  const picker = (
    <Space wrap>
      <label htmlFor="stats-group">{t('tags.group')}</label>
      <Select
        id="stats-group"
        style={{ minWidth: 180 }}
        placeholder={t('tags.groupPlaceholder')}
        loading={groups.isPending}
        value={chosen}
        onChange={onGroup}
        showSearch={{ optionFilterProp: 'label' }}
        options={(groups.data ?? []).map((g) => ({ value: g.groupId, label: g.name }))}
      />
    </Space>
  );

  return (
    <Card title={t('tags.title')}>
      <div style={{ marginBottom: 16 }}>{picker}</div>
      {groups.isError && <Result status="error" title={t('common:loadFailed')} subTitle={errorText(groups.error)} />}
      {groups.data?.length === 0 && <Empty description={t('tags.noGroups')} />}
      {stats.isError && <Result status="error" title={t('common:loadFailed')} subTitle={errorText(stats.error)} />}
      {chosen !== undefined && stats.isPending && <Skeleton active />}
      {stats.data && stats.data.visibleCustomers === 0 && <Empty description={t('tags.noCustomers')} />}
      {stats.data && stats.data.visibleCustomers > 0 && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            {t('tags.visible', { count: stats.data.visibleCustomers })} · {t('tags.clickHint')}
          </Typography.Text>
          <EChart option={option} summary={summary} height={Math.max(160, bars.length * 40 + 40)} onPick={(i) => open(bars[i])} />
          <Table<TagBar>
            aria-label={t('tags.tableLabel', { group: stats.data.groupName })}
            rowKey="key"
            size="small"
            pagination={false}
            dataSource={bars}
            columns={[
              { title: t('tags.tag'), dataIndex: 'name', render: (name: string, bar) => <Typography.Link onClick={() => open(bar)}>{name}</Typography.Link> },
              { title: t('tags.customers'), dataIndex: 'customers', align: 'right' },
              {
                title: t('tags.share'),
                key: 'share',
                align: 'right',
                render: (_, bar) => `${Math.round((bar.customers / stats.data!.visibleCustomers) * 1000) / 10}%`,
              },
            ]}
          />
        </Space>
      )}
    </Card>
  );
}
