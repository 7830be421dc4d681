import { Alert, Form, Input, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { type DataScopeDto, type RoleDto, useRoleActions } from '../../api/admin.js';
import { errorText } from '../../api/client.js';
import { dataScopes } from './scopes.js';

type CreateFields = { roleId: string; name: string; dataScope: DataScopeDto; copyFrom: string };

/** 新建角色: an id, a name, a data scope and, to start from, the permissions of an existing role. */
export function CreateRoleModal({ open, roles, onClose }: { open: boolean; roles: RoleDto[]; onClose: () => void }) {
  const { t } = useTranslation('permissions');
  const [form] = Form.useForm<CreateFields>();
  const { create } = useRoleActions();
  const submit = (f: CreateFields) =>
    create.mutate(
      { roleId: f.roleId.trim(), name: f.name, dataScope: f.dataScope, permissions: roles.find((r) => r.roleId === f.copyFrom)?.permissions ?? [] },
      { onSuccess: () => (form.resetFields(), create.reset(), onClose()) },
    );
  return (
    <Modal
      open={open}
      title={t('roles.new')}
      onCancel={() => (create.reset(), onClose())}
      onOk={() => form.submit()}
      okText={t('common:save')}
      cancelText={t('common:cancel')}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ dataScope: 'own', copyFrom: '' }} onFinish={submit}>
        <Form.Item name="roleId" label={t('roles.roleId')} extra={t('roles.roleIdHelp')} rules={[{ required: true, message: t('members.required') }]}>
          <Input aria-label={t('roles.roleId')} maxLength={32} />
        </Form.Item>
        <Form.Item name="name" label={t('roles.name')} rules={[{ required: true, whitespace: true, message: t('members.required') }]}>
          <Input aria-label={t('roles.name')} showCount maxLength={32} />
        </Form.Item>
        <Form.Item name="dataScope" label={t('scope.label')}>
          <Select aria-label={t('scope.label')} options={dataScopes.map((s) => ({ value: s, label: t(`scope.${s}`) }))} />
        </Form.Item>
        <Form.Item name="copyFrom" label={t('roles.copyFrom')}>
          <Select
            aria-label={t('roles.copyFrom')}
            options={[{ value: '', label: t('roles.none') }, ...roles.map((r) => ({ value: r.roleId, label: r.name }))]}
          />
        </Form.Item>
        {create.isError && <Alert type="error" showIcon message={errorText(create.error)} />}
      </Form>
    </Modal>
  );
}

type RenameFields = { name: string; description: string };

/** 重命名: a role's name and description (a built-in role keeps its id; the corp's own version is stored). */
export function RenameRoleModal({ role, onClose }: { role: RoleDto | null; onClose: () => void }) {
  const { t } = useTranslation('permissions');
  const [form] = Form.useForm<RenameFields>();
  const { update } = useRoleActions();
  useEffect(() => {
    if (role) form.setFieldsValue({ name: role.name, description: role.description });
  }, [role, form]);
  const close = () => (update.reset(), onClose());
  return (
    <Modal
      open={role !== null}
      title={role ? t('roles.renameOf', { role: role.name }) : ''}
      onCancel={close}
      onOk={() => form.submit()}
      okText={t('common:save')}
      cancelText={t('common:cancel')}
      confirmLoading={update.isPending}
      forceRender
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(f: RenameFields) => role && update.mutate({ roleId: role.roleId, name: f.name, description: f.description }, { onSuccess: close })}
      >
        <Form.Item name="name" label={t('roles.name')} rules={[{ required: true, whitespace: true, message: t('members.required') }]}>
          <Input aria-label={t('roles.name')} showCount maxLength={32} />
        </Form.Item>
        <Form.Item name="description" label={t('roles.description')}>
          <Input.TextArea aria-label={t('roles.description')} showCount maxLength={200} autoSize={{ minRows: 2 }} />
        </Form.Item>
        {update.isError && <Alert type="error" showIcon message={errorText(update.error)} />}
      </Form>
    </Modal>
  );
}
