import { Form, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { useSavedAudiences } from '../../api/imports.js';
import { ExplanationView } from './explain-panel.js';

/**
 * In the customer drawer: pick a saved audience and see why this customer is in it or not, clause
 * by clause — the same explanation as on the 人群 page, asked from the customer's side.
 */
export function CustomerAudienceWhy({ customer }: { customer: { externalUserid: string; name: string } }) {
  const { t } = useTranslation('audiences');
  const audiences = useSavedAudiences(true);
  const [audienceId, setAudienceId] = useState<string | undefined>(undefined);
  const picked = audiences.data?.find((a) => a.audienceId === audienceId);
  return (
    <Space direction="vertical" size="small" style={{ width: '100%' }} data-testid="customer-audience-why">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('explain.fromCustomer')}
      </Typography.Title>
      <Form.Item label={t('explain.audience')} htmlFor="customer-why-audience" style={{ marginBottom: 0 }} layout="vertical">
        <Select
          id="customer-why-audience"
          aria-label={t('explain.audience')}
          placeholder={t('explain.audiencePlaceholder')}
          showSearch={{ optionFilterProp: 'label' }}
          allowClear
          loading={audiences.isPending}
          value={audienceId}
          onChange={setAudienceId}
          notFoundContent={audiences.isError ? errorText(audiences.error) : t('empty')}
          options={(audiences.data ?? []).map((a) => ({ value: a.audienceId, label: a.name }))}
          style={{ width: 'min(360px, 100%)' }}
        />
      </Form.Item>
      {picked && (
        <Typography.Text code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
          {picked.text}
        </Typography.Text>
      )}
      <ExplanationView
        exprKey={picked ? `${picked.audienceId}@${picked.updatedAt}` : undefined}
        expression={picked?.expression}
        customer={picked ? customer : undefined}
      />
    </Space>
  );
}
