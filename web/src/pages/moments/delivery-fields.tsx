import { Alert, DatePicker, Form, InputNumber, Radio, Select, TreeSelect, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useDepartments } from '../../api/admin.js';
import type { MomentSettingsDto } from '../../api/moments.js';
import { useEmployees } from '../../api/smart-groups.js';
import { toDeptTree } from '../permissions/org-tree.js';

/** Who is asked to post it: employees and / or departments (with their sub-departments); none = everyone in the author's reach. */
export function SenderFields() {
  const { t } = useTranslation('moments');
  const employees = useEmployees();
  const departments = useDepartments();
  const people = useMemo(
    () => (employees.data ?? []).map((e) => ({ value: e.userid, label: e.name ? `${e.name} (${e.userid})` : e.userid })),
    [employees.data],
  );
  const tree = useMemo(() => toDeptTree(departments.data ?? []), [departments.data]);
  return (
    <>
      <Form.Item name={['senders', 'userids']} label={t('composer.employees')} extra={t('composer.sendersHelp')}>
        <Select
          mode="multiple"
          showSearch
          optionFilterProp="label"
          allowClear
          aria-label={t('composer.employees')}
          loading={employees.isPending}
          options={people}
        />
      </Form.Item>
      <Form.Item name={['senders', 'departmentIds']} label={t('composer.departments')}>
        <TreeSelect
          multiple
          allowClear
          showSearch
          treeNodeFilterProp="title"
          treeDefaultExpandAll
          aria-label={t('composer.departments')}
          treeData={tree}
          loading={departments.isPending}
        />
      </Form.Item>
    </>
  );
}

/** `at` of the form (an ISO string) as the date picker's value, and back. */
const atValue = {
  getValueProps: (value: string | undefined) => ({ value: value ? dayjs(value) : undefined }),
  normalize: (value: dayjs.Dayjs | null) => (value ? value.toISOString() : undefined),
};

/**
 * 发送时间: now, at a time, or at each customer's best hour (the hour they most often open Moments
 * over the last 60 days, else the corp's fallback hour) within a window; quiet hours always hold.
 */
export function ScheduleFields({ settings }: { settings: MomentSettingsDto }) {
  const { t } = useTranslation('moments');
  const mode = Form.useWatch(['schedule', 'mode']) as string | undefined;
  return (
    <>
      <Form.Item name={['schedule', 'mode']} label={t('schedule.label')}>
        <Radio.Group
          aria-label={t('schedule.label')}
          optionType="button"
          options={(['now', 'at', 'best_hour'] as const).map((m) => ({ value: m, label: t(`schedule.${m}`) }))}
        />
      </Form.Item>
      {mode === 'at' && (
        <Form.Item name={['schedule', 'at']} label={t('schedule.at')} rules={[{ required: true, message: t('composer.required') }]} {...atValue}>
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            aria-label={t('schedule.at')}
            disabledDate={(d) => d.isBefore(dayjs().startOf('day'))}
          />
        </Form.Item>
      )}
      {mode === 'best_hour' && (
        <Form.Item name={['schedule', 'withinHours']} label={t('schedule.withinHours')} extra={t('schedule.bestHourHelp', { fallback: settings.fallbackHour })}>
          <InputNumber aria-label={t('schedule.withinHours')} min={1} max={168} precision={0} suffix={t('schedule.hours')} />
        </Form.Item>
      )}
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={
          <Typography.Text>{t('schedule.quiet', { start: settings.quietHours.start, end: settings.quietHours.end, cap: settings.weeklyCap })}</Typography.Text>
        }
      />
    </>
  );
}
