import { Alert, App, Form, Input, Modal, TreeSelect } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type DepartmentDto, useDepartmentActions } from '../../api/admin.js';
import { errorText } from '../../api/client.js';
import { subtreeIds, toDeptTree } from './org-tree.js';

/** What the department dialog does: add under a parent (null: the root), rename, or move. */
export type DepartmentEdit =
  | { mode: 'create'; parent: DepartmentDto | null }
  | { mode: 'rename'; department: DepartmentDto }
  | { mode: 'move'; department: DepartmentDto };

type Fields = { name: string; region: string; parentId: number };

/** One dialog for the three department edits; the move target excludes the department's own subtree. */
export function DepartmentModal({ edit, departments, onClose }: { edit: DepartmentEdit | null; departments: DepartmentDto[]; onClose: () => void }) {
  const { t } = useTranslation('permissions');
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  const { create, update } = useDepartmentActions();
  const mutation = edit?.mode === 'create' ? create : update;
  const targets = useMemo(() => (edit?.mode === 'move' ? toDeptTree(departments, subtreeIds(departments, edit.department.deptId)) : []), [edit, departments]);
  useEffect(() => {
    if (!edit) return;
    if (edit.mode === 'create') form.setFieldsValue({ name: '', region: '' });
    else form.setFieldsValue({ name: edit.department.name, region: edit.department.region ?? '', parentId: edit.department.parentId });
  }, [edit, form]);
  const close = () => (create.reset(), update.reset(), onClose());
  const done = { onSuccess: () => (message.success(t('departments.saved')), close()) };
  const submit = (f: Fields) => {
    if (!edit) return;
    const region = f.region?.trim() ? f.region.trim() : null;
    if (edit.mode === 'create') create.mutate({ name: f.name, parentId: edit.parent?.deptId ?? 0, ...(region ? { region } : {}) }, done);
    else if (edit.mode === 'rename') update.mutate({ deptId: edit.department.deptId, name: f.name, region }, done);
    else update.mutate({ deptId: edit.department.deptId, parentId: f.parentId }, done);
  };
  const title = !edit
    ? ''
    : edit.mode === 'create'
      ? edit.parent
        ? t('departments.newChildOf', { name: edit.parent.name })
        : t('departments.new')
      : t(edit.mode === 'rename' ? 'departments.renameOf' : 'departments.moveOf', { name: edit.department.name });
  return (
    <Modal
      open={edit !== null}
      title={title}
      onCancel={close}
      onOk={() => form.submit()}
      okText={t('common:save')}
      cancelText={t('common:cancel')}
      confirmLoading={mutation.isPending}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        {edit?.mode === 'move' ? (
          <Form.Item name="parentId" label={t('departments.moveTo')} rules={[{ required: true, message: t('members.required') }]}>
            <TreeSelect aria-label={t('departments.moveTo')} treeData={targets} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
          </Form.Item>
        ) : (
          <>
            <Form.Item name="name" label={t('departments.name')} rules={[{ required: true, whitespace: true, message: t('members.required') }]}>
              <Input aria-label={t('departments.name')} maxLength={64} />
            </Form.Item>
            <Form.Item name="region" label={t('departments.region')}>
              <Input aria-label={t('departments.region')} maxLength={30} />
            </Form.Item>
          </>
        )}
        {mutation.isError && <Alert type="error" showIcon message={errorText(mutation.error)} />}
      </Form>
    </Modal>
  );
}
