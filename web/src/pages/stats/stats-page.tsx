import { Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header.js';
import { GrowthCard } from './growth-card.js';
import { TagStatsCard } from './tag-stats-card.js';

/**
 * 数据统计: customers per tag of a group and new customers per day, within the user's data scope.
 * The picked group and period live in the URL, so a view can be bookmarked or shared. ECharts is
 * loaded with this page only.
 */
export default function StatsPage() {
  const { t } = useTranslation('stats');
  const [params, setParams] = useSearchParams();
  const set = (key: string, value: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set(key, value);
        return next;
      },
      { replace: true },
    );
  const days = [7, 30, 90].includes(Number(params.get('days'))) ? Number(params.get('days')) : 30;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader title={t('title')} />
      <Typography.Text type="secondary">{t('scopeNote')}</Typography.Text>
      <TagStatsCard groupId={params.get('group') ?? undefined} onGroup={(g) => set('group', g)} />
      <GrowthCard days={days} onDays={(n) => set('days', String(n))} />
    </Space>
  );
}
