import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Input, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { useExportAudience, useExportCustomers, useSavedAudiences } from '../../api/imports.js';

type What = 'customers' | 'relations' | 'saved' | 'text';

/**
 * 导出: every customer in the user's data scope (a row per customer, or per follow relation in the
 * import file's columns), or an audience (a saved one, or written as text), downloaded as CSV
 * under the server's file name.
 */
export function ExportCard() {
  const { t } = useTranslation('transfer');
  const { message } = App.useApp();
  const [what, setWhat] = useState<What>('customers');
  const [audienceId, setAudienceId] = useState<string | undefined>();
  const [text, setText] = useState('');
  const audiences = useSavedAudiences(what === 'saved');
  const customers = useExportCustomers();
  const audience = useExportAudience();
  const saved = audiences.data?.find((a) => a.audienceId === audienceId);
  const ready = what === 'customers' || what === 'relations' || (what === 'saved' && saved !== undefined) || (what === 'text' && text.trim() !== '');
  const done = { onSuccess: (name: string) => message.success(t('export.downloaded', { name })), onError: (error: unknown) => message.error(errorText(error)) };
  const start = () => {
    if (what === 'customers' || what === 'relations') customers.mutate(what, done);
    else audience.mutate(what === 'saved' ? saved!.text : text.trim(), done);
  };
  return (
    <Card title={t('export.title')}>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Radio.Group value={what} onChange={(e) => setWhat(e.target.value as What)} aria-label={t('export.what')}>
          <Space direction="vertical">
            <Radio value="customers">{t('export.customers')}</Radio>
            <Radio value="relations">{t('export.relations')}</Radio>
            <Radio value="saved">{t('export.saved')}</Radio>
            <Radio value="text">{t('export.text')}</Radio>
          </Space>
        </Radio.Group>
        {what === 'saved' && (
          <Select
            aria-label={t('export.pickAudience')}
            placeholder={t('export.pickAudience')}
            loading={audiences.isPending}
            value={audienceId}
            onChange={setAudienceId}
            style={{ width: '100%', maxWidth: 480 }}
            notFoundContent={audiences.isError ? errorText(audiences.error) : t('export.noAudiences')}
            options={(audiences.data ?? []).map((a) => ({ value: a.audienceId, label: t('export.audienceOption', { name: a.name, size: a.size }) }))}
          />
        )}
        {what === 'saved' && saved && <Typography.Text code>{saved.text}</Typography.Text>}
        {what === 'text' && (
          <Input.TextArea
            aria-label={t('export.textLabel')}
            placeholder={t('export.textPlaceholder')}
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoSize={{ minRows: 2, maxRows: 6 }}
            style={{ maxWidth: 640 }}
          />
        )}
        <Typography.Text type="secondary">{t('export.hint')}</Typography.Text>
        <Button type="primary" icon={<DownloadOutlined />} disabled={!ready} loading={customers.isPending || audience.isPending} onClick={start}>
          {t('export.run')}
        </Button>
      </Space>
    </Card>
  );
}
