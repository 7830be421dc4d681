import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ruleLimits } from '../../../../contracts/rules.js';

/** One filter's value input: a text for `equals`, a list for `in`, nothing for `exists`. */
function FilterValue({ index }: { index: number }) {
  const { t } = useTranslation('tagRules');
  const op = Form.useWatch(['filters', index, 'op']) as string | undefined;
  if (op === 'exists') return null;
  if (op === 'in')
    return (
      <Form.Item
        name={[index, 'values']}
        rules={[{ required: true, type: 'array', min: 1, message: t('required') }]}
        style={{ minWidth: 240, marginBottom: 8 }}
      >
        <Select mode="tags" open={false} suffixIcon={null} aria-label={t('filters.values', { n: index + 1 })} placeholder={t('filters.valuesPlaceholder')} />
      </Form.Item>
    );
  return (
    <Form.Item name={[index, 'value']} style={{ marginBottom: 8 }}>
      <Input aria-label={t('filters.value', { n: index + 1 })} maxLength={256} />
    </Form.Item>
  );
}

/** The triggering event's filters: a field equals a value, is one of several, or is present. */
export function FilterFields() {
  const { t } = useTranslation('tagRules');
  return (
    <Form.List name="filters">
      {(fields, { add, remove }) => (
        <Space direction="vertical" style={{ width: '100%' }}>
          {fields.length === 0 && <Typography.Text type="secondary">{t('filters.none')}</Typography.Text>}
          {fields.map((field) => (
            <Space key={field.key} wrap align="start">
              <Form.Item name={[field.name, 'field']} rules={[{ required: true, message: t('required') }]} style={{ marginBottom: 8 }}>
                <Input aria-label={t('filters.field', { n: field.name + 1 })} placeholder={t('filters.fieldPlaceholder')} maxLength={32} />
              </Form.Item>
              <Form.Item name={[field.name, 'op']} style={{ marginBottom: 8 }}>
                <Select
                  aria-label={t('filters.op', { n: field.name + 1 })}
                  style={{ width: 120 }}
                  options={(['equals', 'in', 'exists'] as const).map((op) => ({ value: op, label: t(`filters.opOf.${op}`) }))}
                />
              </Form.Item>
              <FilterValue index={field.name} />
              <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('filters.remove', { n: field.name + 1 })} onClick={() => remove(field.name)} />
            </Space>
          ))}
          <Button icon={<PlusOutlined />} disabled={fields.length >= ruleLimits.filtersMax} onClick={() => add({ op: 'equals' })}>
            {t('filters.add')}
          </Button>
        </Space>
      )}
    </Form.List>
  );
}
