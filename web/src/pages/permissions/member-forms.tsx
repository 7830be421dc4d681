import { Alert, App, Form, Input, Modal, Select, TreeSelect } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { type EmployeeDto, type RoleDto, useEmployeeActions } from '../../api/admin.js';
import { errorText } from '../../api/client.js';
import type { DeptNode } from './org-tree.js';

type EmployeeFields = { userid: string; name: string; departmentIds: number[]; role: string; status: 'active' | 'left' };

/** 添加成员 / 编辑: userid (new only), name, departments from the tree, role; and for an existing one, whether they left. */
export function EmployeeModal({
  employee,
  defaultDepartment,
  tree,
  roles,
  onClose,
}: {
  employee: EmployeeDto | 'new' | null;
  defaultDepartment: number | null;
  tree: DeptNode[];
  roles: RoleDto[];
  onClose: () => void;
}) {
  const { t } = useTranslation('permissions');
  const { message } = App.useApp();
  const [form] = Form.useForm<EmployeeFields>();
  const { create, update } = useEmployeeActions();
  const isNew = employee === 'new';
  const mutation = isNew ? create : update;
  useEffect(() => {
    if (employee === 'new')
      form.setFieldsValue({
        userid: '',
        name: '',
        departmentIds: defaultDepartment === null ? [] : [defaultDepartment],
        role: roles.find((r) => r.roleId === 'staff')?.roleId ?? roles[0]?.roleId ?? '',
      });
    else if (employee)
      form.setFieldsValue({
        userid: employee.userid,
        name: employee.name,
        departmentIds: employee.departmentIds,
        role: employee.role,
        status: employee.status,
      });
  }, [employee, defaultDepartment, roles, form]);
  const close = () => (create.reset(), update.reset(), onClose());
  const submit = (f: EmployeeFields) => {
    const done = { onSuccess: () => (message.success(t('members.saved')), close()) };
    if (isNew) create.mutate({ userid: f.userid.trim(), name: f.name, departmentIds: f.departmentIds, role: f.role }, done);
    else if (employee) update.mutate({ userid: employee.userid, name: f.name, departmentIds: f.departmentIds, role: f.role, status: f.status }, done);
  };
  const required = [{ required: true, message: t('members.required') }];
  return (
    <Modal
      open={employee !== null}
      title={isNew ? t('members.new') : employee ? t('members.editOf', { name: employee.name }) : ''}
      onCancel={close}
      onOk={() => form.submit()}
      okText={t('common:save')}
      cancelText={t('common:cancel')}
      confirmLoading={mutation.isPending}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="userid" label={t('members.userid')} rules={required}>
          <Input aria-label={t('members.userid')} disabled={!isNew} maxLength={64} />
        </Form.Item>
        <Form.Item name="name" label={t('members.name')} rules={[{ required: true, whitespace: true, message: t('members.required') }]}>
          <Input aria-label={t('members.name')} maxLength={64} />
        </Form.Item>
        <Form.Item name="departmentIds" label={t('members.departments')} rules={required}>
          <TreeSelect aria-label={t('members.departments')} treeData={tree} multiple treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
        </Form.Item>
        <Form.Item name="role" label={t('members.role')} rules={required}>
          <Select aria-label={t('members.role')} options={roles.map((r) => ({ value: r.roleId, label: `${r.name} · ${t(`scope.${r.dataScope}`)}` }))} />
        </Form.Item>
        {!isNew && (
          <Form.Item name="status" label={t('members.status')}>
            <Select
              aria-label={t('members.status')}
              options={[
                { value: 'active', label: t('members.active') },
                { value: 'left', label: t('members.left') },
              ]}
            />
          </Form.Item>
        )}
        {mutation.isError && <Alert type="error" showIcon message={errorText(mutation.error)} />}
      </Form>
    </Modal>
  );
}

/**
 * 重置密码: a new console password, which ends the member's sessions. The length rule is the
 * server's (its refusal is shown as it says it): importing it from contracts would pull zod in.
 */
export function PasswordModal({ employee, onClose }: { employee: EmployeeDto | null; onClose: () => void }) {
  const { t } = useTranslation('permissions');
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string }>();
  const { setPassword } = useEmployeeActions();
  const close = () => (form.resetFields(), setPassword.reset(), onClose());
  return (
    <Modal
      open={employee !== null}
      title={employee ? t('members.resetPasswordOf', { name: employee.name }) : ''}
      onCancel={close}
      onOk={() => form.submit()}
      okText={t('common:save')}
      cancelText={t('common:cancel')}
      confirmLoading={setPassword.isPending}
      forceRender
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={({ password }) =>
          employee &&
          setPassword.mutate(
            { userid: employee.userid, password },
            { onSuccess: (r) => (message.success(t('members.passwordSet', { count: r.sessionsEnded })), close()) },
          )
        }
      >
        <Form.Item
          name="password"
          label={t('members.newPassword')}
          extra={t('members.passwordHelp')}
          rules={[{ required: true, message: t('members.required') }]}
        >
          <Input.Password aria-label={t('members.newPassword')} autoComplete="new-password" maxLength={256} />
        </Form.Item>
        {setPassword.isError && <Alert type="error" showIcon message={errorText(setPassword.error)} />}
      </Form>
    </Modal>
  );
}
