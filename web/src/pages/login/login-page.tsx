import { Alert, Button, Card, Form, Input, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { demoConsoleUsers, demoCorpId } from '../../../../contracts/demo.js';
import { ApiError, errorText } from '../../api/client.js';
import { useLogin } from '../../api/session.js';
import { LanguageSwitch } from '../../components/language-switch.js';

type Fields = { corpId: string; username: string; password: string };
const lastCorpKey = 'tagloom.lastCorp';

/** 登录: corp, user (the WeCom userid) and password; the demo corp lists its demo users to pick from. */
export default function LoginPage() {
  const { t } = useTranslation('login');
  const [form] = Form.useForm<Fields>();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const login = useLogin();
  const [corpId, setCorpId] = useState(() => localStorage.getItem(lastCorpKey) ?? demoCorpId);

  const submit = (fields: Fields) =>
    login.mutate(fields, {
      onSuccess: () => {
        localStorage.setItem(lastCorpKey, fields.corpId);
        const next = params.get('next');
        const target = next?.startsWith('/') && !next.startsWith('//') ? next : '/';
        // The sidebar is a page of its own (its own small bundle), not a route of the console.
        if (target.startsWith('/sidebar')) window.location.assign(target);
        else navigate(target, { replace: true });
      },
    });
  // A 401 here is the wrong corp, user or password (the server will not say which); other refusals,
  // such as too many attempts, keep their own words.
  const refusal = (error: unknown) => (error instanceof ApiError && error.status === 401 ? t('wrongCredentials') : errorText(error));
  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f5f7fa', padding: 16 }}>
      <Card
        style={{ width: 420, maxWidth: '100%' }}
        title={
          <Typography.Title level={3} style={{ margin: 0 }}>
            Tagloom
          </Typography.Title>
        }
        extra={<LanguageSwitch />}
      >
        <Typography.Paragraph type="secondary">{t('subtitle')}</Typography.Paragraph>
        <Form
          form={form}
          layout="vertical"
          initialValues={{ corpId }}
          onFinish={submit}
          onValuesChange={(changed: Partial<Fields>) => changed.corpId !== undefined && setCorpId(changed.corpId)}
          requiredMark={false}
        >
          <Form.Item name="corpId" label={t('corp')} rules={[{ required: true, message: t('required') }]}>
            <Input autoComplete="organization" />
          </Form.Item>
          <Form.Item name="username" label={t('username')} rules={[{ required: true, message: t('required') }]}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item name="password" label={t('password')} rules={[{ required: true, message: t('required') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {login.isError && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={refusal(login.error)} />}
          <Button type="primary" htmlType="submit" block loading={login.isPending}>
            {t('submit')}
          </Button>
        </Form>
        {corpId.trim() === demoCorpId && (
          <Space direction="vertical" style={{ marginTop: 24, width: '100%' }}>
            <Typography.Text strong>{t('demoUsers')}</Typography.Text>
            <Table
              size="small"
              pagination={false}
              rowKey="username"
              dataSource={[...demoConsoleUsers]}
              columns={[
                { title: t('role'), dataIndex: 'role', render: (role: string) => t(`roles.${role}`) },
                { title: t('username'), dataIndex: 'username' },
                {
                  title: '',
                  render: (_, user) => (
                    <Button size="small" onClick={() => form.setFieldsValue({ corpId: demoCorpId, username: user.username, password: user.password })}>
                      {t('useDemo')}
                    </Button>
                  ),
                },
              ]}
            />
          </Space>
        )}
      </Card>
    </div>
  );
}
