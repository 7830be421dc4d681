import { SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, InputNumber, Result, Skeleton, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { fieldErrors } from '../../api/field-errors.js';
import { can, type MeDto } from '../../api/session.js';
import { useUpdateSettings } from '../../api/settings.js';
import { useSettings } from '../../api/tags.js';
import { PageHeader } from '../../components/page-header.js';
import { MomentSettingsCard } from '../moments/moment-settings-card.js';
import { changedLimits, type Limits, limitNames } from './settings-logic.js';

/**
 * 企业设置: the corp's limits (name length, tags per group, tags per corp) within the bounds the
 * server answers. With `corp.settings` they are changed here; without it they are shown read-only.
 */
export default function SettingsPage({ me }: { me: MeDto }) {
  const { t } = useTranslation('settings');
  const { message } = App.useApp();
  const settings = useSettings();
  const update = useUpdateSettings();
  const [form] = Form.useForm<Limits>();
  const editable = can(me, 'corp.settings');
  const limits = settings.data?.limits;
  useEffect(() => {
    if (limits) form.setFieldsValue(limits);
  }, [limits, form]);

  const save = (values: Limits) => {
    const changes = changedLimits(limits!, values);
    if (Object.keys(changes).length === 0) return void message.info(t('corp.unchanged'));
    update.mutate(
      { limits: changes },
      {
        onSuccess: () => void message.success(t('corp.saved')),
        onError: (error) => {
          const errors = fieldErrors(error, limitNames);
          form.setFields(errors);
          if (errors.length === 0) message.error(errorText(error));
        },
      },
    );
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 720 }}>
      <PageHeader title={t('corp.title')} />
      <Typography.Text type="secondary">{t('corp.intro')}</Typography.Text>
      {!editable && <Alert type="info" showIcon title={t('corp.readOnly')} />}
      {settings.isPending && <Skeleton active paragraph={{ rows: 4 }} />}
      {settings.isError && (
        <Result
          status="error"
          title={t('common:loadFailed')}
          subTitle={errorText(settings.error)}
          extra={<Button onClick={() => void settings.refetch()}>{t('common:retry')}</Button>}
        />
      )}
      {settings.data && (
        <Card title={t('corp.limits')}>
          <Form form={form} layout="vertical" disabled={!editable} requiredMark={editable} onFinish={save} initialValues={settings.data.limits}>
            {limitNames.map((name) => (
              <Form.Item
                key={name}
                name={name}
                label={t(`corp.${name}.label`)}
                extra={t(`corp.${name}.help`, { max: settings.data.bounds[name] })}
                rules={[{ required: true, message: t('corp.required') }]}
              >
                <InputNumber
                  aria-label={t(`corp.${name}.label`)}
                  min={1}
                  max={settings.data.bounds[name]}
                  precision={0}
                  suffix={t(`corp.${name}.unit`)}
                  style={{ width: 220 }}
                />
              </Form.Item>
            ))}
            {editable && (
              <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={update.isPending}>
                {t('common:save')}
              </Button>
            )}
          </Form>
        </Card>
      )}
      {settings.data && <MomentSettingsCard editable={editable} />}
    </Space>
  );
}
