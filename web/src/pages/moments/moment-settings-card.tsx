import { SaveOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Form, InputNumber, Row, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { fieldErrors } from '../../api/field-errors.js';
import { useMomentSettings, useUpdateMomentSettings } from '../../api/moments.js';
import {
  changedMomentSettings,
  formOfMomentSettings,
  hourOptions,
  type MomentSettingsForm,
  momentSettingNames,
  momentSettingsOfForm,
} from './moment-settings-logic.js';

const numberFields = [
  { name: 'weeklyCap', min: 1, max: 50 },
  { name: 'notInterestedStreak', min: 1, max: 20 },
  { name: 'fallbackHour', min: 0, max: 23 },
  { name: 'attributionDays', min: 1, max: 90 },
] as const;

/**
 * 客户朋友圈 settings on the settings page: the weekly frequency cap, quiet hours, how many 不感兴趣
 * in a row suppress a customer, the hour for customers with no history, and the attribution window.
 */
export function MomentSettingsCard({ editable }: { editable: boolean }) {
  const { t } = useTranslation('moments');
  const { message } = App.useApp();
  const { settings, isPending } = useMomentSettings();
  const update = useUpdateMomentSettings();
  const [form] = Form.useForm<MomentSettingsForm>();
  useEffect(() => form.setFieldsValue(formOfMomentSettings(settings)), [settings, form]);
  const save = (values: MomentSettingsForm) => {
    const changes = changedMomentSettings(settings, momentSettingsOfForm(values));
    if (Object.keys(changes).length === 0) return void message.info(t('settings.unchanged'));
    update.mutate(changes, {
      onSuccess: () => void message.success(t('settings.saved')),
      onError: (error) => {
        const errors = fieldErrors(error, momentSettingNames);
        form.setFields(errors);
        if (errors.length === 0) message.error(errorText(error));
      },
    });
  };
  return (
    <Card title={t('settings.title')} loading={isPending} data-testid="moment-settings">
      <Form<MomentSettingsForm> form={form} layout="vertical" disabled={!editable} onFinish={save} initialValues={formOfMomentSettings(settings)}>
        <Row gutter={16}>
          {numberFields.map((f) => (
            <Col xs={24} md={12} key={f.name}>
              <Form.Item
                name={f.name}
                label={t(`settings.${f.name}.label`)}
                extra={t(`settings.${f.name}.help`)}
                rules={[{ required: true, message: t('composer.required') }]}
              >
                <InputNumber
                  aria-label={t(`settings.${f.name}.label`)}
                  min={f.min}
                  max={f.max}
                  precision={0}
                  suffix={t(`settings.${f.name}.unit`)}
                  style={{ width: 200 }}
                />
              </Form.Item>
            </Col>
          ))}
          <Col xs={12} md={6}>
            <Form.Item name="quietStart" label={t('settings.quietStart')} extra={t('settings.quietHelp')}>
              <Select aria-label={t('settings.quietStart')} options={hourOptions} style={{ width: 120 }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="quietEnd" label={t('settings.quietEnd')}>
              <Select aria-label={t('settings.quietEnd')} options={hourOptions} style={{ width: 120 }} />
            </Form.Item>
          </Col>
        </Row>
        {editable && (
          <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={update.isPending}>
            {t('settings.save')}
          </Button>
        )}
      </Form>
    </Card>
  );
}
