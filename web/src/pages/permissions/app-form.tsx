import { Alert, App, Form, Input, Modal, Select, TreeSelect, Typography } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type AppDto, type AppWithSecretDto, useAppActions, useDepartments, useEmployees } from '../../api/admin.js';
import { errorText } from '../../api/client.js';
import { toDeptTree } from './org-tree.js';

type Fields = { name: string; departments: number[]; userids: string[] };

/**
 * 创建应用 / 编辑: an app's name and visible range (departments with their sub-departments, and
 * members). The customer-contact app has no range (it reaches the whole corp): only its name.
 * A created app's secret goes straight to `onCreated` and is not kept here.
 */
export function AppModal({ app, onClose, onCreated }: { app: AppDto | 'new' | null; onClose: () => void; onCreated: (created: AppWithSecretDto) => void }) {
  const { t } = useTranslation('permissions');
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  const { create, update } = useAppActions();
  const departments = useDepartments(app !== null);
  const employees = useEmployees(null, app !== null);
  const tree = useMemo(() => toDeptTree(departments.data ?? []), [departments.data]);
  const isNew = app === 'new';
  const ranged = isNew || (app !== null && app.range !== null);
  const mutation = isNew ? create : update;
  useEffect(() => {
    if (app === 'new') form.setFieldsValue({ name: '', departments: [], userids: [] });
    else if (app) form.setFieldsValue({ name: app.name, departments: app.range?.departments ?? [], userids: app.range?.userids ?? [] });
  }, [app, form]);
  const close = () => (form.resetFields(), create.reset(), update.reset(), onClose());
  const submit = (f: Fields) => {
    const range = { departments: f.departments ?? [], userids: f.userids ?? [] };
    if (isNew) create.mutate({ name: f.name, range }, { onSuccess: (created) => (close(), onCreated(created)) });
    else if (app)
      update.mutate({ appId: app.appId, name: f.name, ...(ranged ? { range } : {}) }, { onSuccess: () => (message.success(t('apps.saved')), close()) });
  };
  return (
    <Modal
      open={app !== null}
      title={isNew ? t('apps.new') : app ? t('apps.editOf', { name: app.name }) : ''}
      onCancel={close}
      onOk={() => form.submit()}
      okText={t('common:save')}
      cancelText={t('common:cancel')}
      confirmLoading={mutation.isPending}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="name" label={t('apps.name')} rules={[{ required: true, whitespace: true, message: t('members.required') }]}>
          <Input aria-label={t('apps.name')} maxLength={64} />
        </Form.Item>
        {ranged ? (
          <>
            <Form.Item name="departments" label={t('apps.rangeDepartments')}>
              <TreeSelect
                aria-label={t('apps.rangeDepartments')}
                treeData={tree}
                multiple
                treeDefaultExpandAll
                showSearch
                treeNodeFilterProp="title"
                loading={departments.isPending}
              />
            </Form.Item>
            <Form.Item name="userids" label={t('apps.rangeMembers')} extra={t('apps.rangeNobody')}>
              <Select
                aria-label={t('apps.rangeMembers')}
                mode="multiple"
                showSearch
                optionFilterProp="label"
                loading={employees.isPending}
                options={(employees.data ?? []).map((e) => ({ value: e.userid, label: `${e.name} (${e.userid})` }))}
              />
            </Form.Item>
          </>
        ) : (
          <Typography.Paragraph type="secondary">{t('apps.wholeCorp')}</Typography.Paragraph>
        )}
        {mutation.isError && <Alert type="error" showIcon message={errorText(mutation.error)} />}
      </Form>
    </Modal>
  );
}
