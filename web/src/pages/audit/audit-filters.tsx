import { Button, DatePicker, Form, Input, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ActorLabel } from '../../../../contracts/audit.js';
import { eventTypes } from '../../../../src/events/catalog.js';
import type { AuditFilters } from '../../api/audit.js';
import { useTagGroups } from '../../api/tags.js';

type FormValues = { actor?: string; type?: string[]; customer?: string; tag?: string; operationId?: string; range?: [Dayjs | null, Dayjs | null] | null };

/**
 * The audit log's filters: actor (checked with the server's own rule), event types, target
 * (customer, tag, operation) and a time range. Applying them sets what the table and the export use.
 */
export function AuditFiltersForm({ onApply }: { onApply: (filters: AuditFilters) => void }) {
  const { t } = useTranslation('audit');
  const [form] = Form.useForm<FormValues>();
  const groups = useTagGroups();
  const tagOptions = useMemo(
    () => (groups.data ?? []).map((g) => ({ label: g.name, options: g.tags.map((tag) => ({ value: tag.tagId, label: tag.name })) })),
    [groups.data],
  );
  const apply = (v: FormValues) =>
    onApply({
      actor: v.actor?.trim() || undefined,
      type: v.type?.length ? v.type : undefined,
      customer: v.customer?.trim() || undefined,
      tag: v.tag || undefined,
      operationId: v.operationId?.trim() || undefined,
      from: v.range?.[0]?.startOf('day').toISOString(),
      to: v.range?.[1]?.endOf('day').add(1, 'millisecond').toISOString(),
    });
  return (
    <Form form={form} layout="inline" onFinish={apply} style={{ rowGap: 8 }}>
      <Form.Item
        name="actor"
        label={t('filters.actor')}
        rules={[
          {
            validator: async (_, value?: string) =>
              !value?.trim() || ActorLabel.safeParse(value.trim()).success ? undefined : Promise.reject(new Error(t('filters.actorInvalid'))),
          },
        ]}
      >
        <Input allowClear placeholder="user:zhangsan" style={{ width: 170 }} />
      </Form.Item>
      <Form.Item name="type" label={t('filters.type')}>
        <Select
          mode="multiple"
          allowClear
          placeholder={t('filters.typeAny')}
          style={{ minWidth: 220, maxWidth: 420 }}
          options={eventTypes.map((type) => ({ value: type, label: type }))}
        />
      </Form.Item>
      <Form.Item name="range" label={t('filters.time')}>
        <DatePicker.RangePicker allowEmpty={[true, true]} placeholder={[t('filters.from'), t('filters.to')]} />
      </Form.Item>
      <Form.Item name="customer" label={t('filters.customer')}>
        <Input allowClear placeholder="external_userid" style={{ width: 170 }} />
      </Form.Item>
      <Form.Item name="tag" label={t('filters.tag')}>
        <Select allowClear showSearch optionFilterProp="label" placeholder={t('filters.tagAny')} style={{ width: 180 }} options={tagOptions} />
      </Form.Item>
      <Form.Item name="operationId" label={t('filters.operation')}>
        <Input allowClear placeholder="op…" style={{ width: 150 }} />
      </Form.Item>
      <Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            {t('filters.apply')}
          </Button>
          <Button onClick={() => (form.resetFields(), onApply({}))}>{t('filters.reset')}</Button>
        </Space>
      </Form.Item>
    </Form>
  );
}
