import { ApiOutlined, KeyOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Collapse, Form, Input, InputNumber, Row, Space, Switch, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { type ConnectionDto, type SaveConnectionBody, useConnectionActions } from '../../api/connector.js';
import { fieldErrors } from '../../api/field-errors.js';
import { absoluteCallbackUrl, connectionFields, connectionPatterns, randomCallbackToken, randomEncodingAesKey } from './connector-logic.js';

type FormValues = {
  wecomCorpid: string;
  agentId: number | null;
  apiBase: string;
  secret: string;
  callbackToken: string;
  encodingAesKey: string;
  pushEnabled: boolean;
};

const defaultApiBase = 'https://qyapi.weixin.qq.com';

/**
 * The connection itself: WeCom's corpid and agent, the 客户联系 secret and the callback token and
 * EncodingAESKey as password fields (never shown back: a saved one reads "saved", left empty it is
 * kept), the push switch, save and test. The callback URL to paste into WeCom's admin is shown with
 * a copy button, and a fresh token and key can be generated here.
 */
export function ConnectionCard({ connection }: { connection: ConnectionDto }) {
  const { t } = useTranslation('connector');
  const { message } = App.useApp();
  const actions = useConnectionActions();
  const [form] = Form.useForm<FormValues>();
  const connected = connection.connected ? connection : null;
  useEffect(() => {
    form.setFieldsValue({
      wecomCorpid: connected?.wecomCorpid ?? '',
      agentId: connected?.agentId ?? null,
      apiBase: connected?.apiBase ?? defaultApiBase,
      secret: '',
      callbackToken: '',
      encodingAesKey: '',
      pushEnabled: connected?.pushEnabled ?? false,
    });
  }, [connected?.updatedAt, form]); // eslint-disable-line react-hooks/exhaustive-deps

  const save = (values: FormValues) => {
    const body: SaveConnectionBody = {
      wecomCorpid: values.wecomCorpid.trim(),
      apiBase: values.apiBase.trim() || defaultApiBase,
      pushEnabled: values.pushEnabled,
    };
    if (values.agentId !== null && values.agentId !== undefined) body.agentId = values.agentId;
    // Empty secret fields keep what is saved: they are only sent when typed.
    if (values.secret) body.secret = values.secret;
    if (values.callbackToken) body.callbackToken = values.callbackToken;
    if (values.encodingAesKey) body.encodingAesKey = values.encodingAesKey;
    actions.save.mutate(body, {
      onSuccess: () => void message.success(t('connection.saved')),
      onError: (error) => {
        const placed = fieldErrors(error, connectionFields);
        form.setFields(placed);
        if (placed.length === 0) message.error(errorText(error));
      },
    });
  };

  const generate = () => {
    form.setFieldsValue({ callbackToken: randomCallbackToken(), encodingAesKey: randomEncodingAesKey() });
    message.info(t('connection.generated'));
  };

  const test = actions.test.data;
  const saved = (has: boolean) => (has ? t('connection.savedSecret') : undefined);
  return (
    <Card title={t('connection.title')}>
      <Form<FormValues> form={form} layout="vertical" onFinish={save} requiredMark="optional">
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="wecomCorpid"
              label={t('connection.corpid')}
              extra={t('connection.corpidHelp')}
              rules={[{ required: true, message: t('connection.required') }]}
            >
              <Input autoComplete="off" maxLength={64} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="agentId" label={t('connection.agentId')} extra={t('connection.agentIdHelp')}>
              <InputNumber style={{ width: '100%' }} min={1} precision={0} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="secret"
          label={t('connection.secret')}
          extra={t('connection.secretHelp')}
          rules={connected ? [] : [{ required: true, message: t('connection.secretRequired') }]}
        >
          <Input.Password autoComplete="new-password" placeholder={saved(connected !== null)} maxLength={128} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="callbackToken"
              label={t('connection.callbackToken')}
              rules={[{ pattern: connectionPatterns.callbackToken, message: t('connection.tokenRule') }]}
            >
              <Input.Password autoComplete="new-password" placeholder={saved(connected?.hasCallback ?? false)} maxLength={32} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="encodingAesKey"
              label={t('connection.aesKey')}
              rules={[{ pattern: connectionPatterns.encodingAesKey, message: t('connection.aesKeyRule') }]}
            >
              <Input.Password autoComplete="new-password" placeholder={saved(connected?.hasCallback ?? false)} maxLength={43} />
            </Form.Item>
          </Col>
        </Row>
        <Space wrap style={{ marginBottom: 16 }}>
          <Button icon={<KeyOutlined />} onClick={generate}>
            {t('connection.generate')}
          </Button>
          <Typography.Text type="secondary">{t('connection.generateHelp')}</Typography.Text>
        </Space>
        {connected && (
          <Form.Item label={t('connection.callbackUrl')} extra={t('connection.callbackUrlHelp')}>
            <Typography.Text code copyable data-testid="callback-url">
              {absoluteCallbackUrl(connected.callbackUrl, window.location.origin)}
            </Typography.Text>
          </Form.Item>
        )}
        <Form.Item name="pushEnabled" label={t('connection.push')} extra={t('connection.pushHelp')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Collapse
          ghost
          items={[
            {
              key: 'advanced',
              label: t('connection.advanced'),
              forceRender: true,
              children: (
                <Form.Item
                  name="apiBase"
                  label={t('connection.apiBase')}
                  extra={t('connection.apiBaseHelp')}
                  rules={[{ pattern: connectionPatterns.apiBase, message: t('connection.apiBaseRule') }]}
                >
                  <Input autoComplete="off" maxLength={512} />
                </Form.Item>
              ),
            },
          ]}
        />
        <Space wrap>
          <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={actions.save.isPending}>
            {t('common:save')}
          </Button>
          <Button
            icon={<ApiOutlined />}
            disabled={!connected}
            loading={actions.test.isPending}
            onClick={() => actions.test.mutate(undefined, { onError: (e) => message.error(errorText(e)) })}
          >
            {t('connection.test')}
          </Button>
        </Space>
        {test && (
          <Alert
            style={{ marginTop: 16 }}
            showIcon
            type={test.ok ? 'success' : 'error'}
            data-testid="connection-test"
            title={test.ok ? t('connection.testOk', { count: test.tagGroups }) : t('connection.testFailed', { errcode: test.errcode, errmsg: test.errmsg })}
          />
        )}
      </Form>
    </Card>
  );
}
