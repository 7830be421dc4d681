import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { MomentSchedule } from '../../../../contracts/moments.js';
import type { MomentStatusName } from '../../api/moments.js';

/** Every status a post can be in, in the order of its life. */
export const momentStatuses = ['draft', 'scheduled', 'sending', 'sent', 'cancelled'] as const satisfies readonly MomentStatusName[];

const colors: Record<MomentStatusName, string> = { draft: 'default', scheduled: 'blue', sending: 'processing', sent: 'green', cancelled: 'red' };

/** A post's status as a coloured tag: 草稿, 待发送, 发送中, 已发送, 已取消. */
export function StatusTag({ status }: { status: MomentStatusName }) {
  const { t } = useTranslation('moments');
  return <Tag color={colors[status]}>{t(`status.${status}`)}</Tag>;
}

/** A schedule in words: 立即, the time, or 按客户活跃时段 within N hours. */
export function scheduleText(t: TFunction<'moments'>, schedule: MomentSchedule): string {
  if (schedule.mode === 'at') return t('schedule.atTime', { at: new Date(schedule.at).toLocaleString() });
  if (schedule.mode === 'best_hour') return t('schedule.bestHourWithin', { hours: schedule.withinHours });
  return t('schedule.now');
}
