import { ApartmentOutlined, DeleteOutlined, DragOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Result, Skeleton, Space, Tree, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type DepartmentDto, useDepartmentActions, useDepartments } from '../../api/admin.js';
import { errorText } from '../../api/client.js';
import { type DepartmentEdit, DepartmentModal } from './department-form.js';
import { toDeptTree } from './org-tree.js';

/**
 * 部门: the department tree with, on each department, add a sub-department, rename (and region),
 * move under another and delete; a refusal (a department with members or sub-departments, a move
 * below itself) shows the server's message.
 */
export function DepartmentsTab() {
  const { t } = useTranslation('permissions');
  const { message, modal } = App.useApp();
  const departments = useDepartments();
  const { remove } = useDepartmentActions();
  const [editing, setEditing] = useState<DepartmentEdit | null>(null);
  const byId = useMemo(() => new Map((departments.data ?? []).map((d) => [d.deptId, d])), [departments.data]);
  const tree = useMemo(() => toDeptTree(departments.data ?? []), [departments.data]);

  if (departments.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (departments.isError)
    return (
      <Result
        status="error"
        title={t('common:loadFailed')}
        subTitle={errorText(departments.error)}
        extra={<Button onClick={() => void departments.refetch()}>{t('common:retry')}</Button>}
      />
    );

  const confirmDelete = (d: DepartmentDto) =>
    modal.confirm({
      title: t('departments.deleteConfirm', { name: d.name }),
      okButtonProps: { danger: true },
      okText: t('departments.delete'),
      cancelText: t('common:cancel'),
      onOk: () =>
        remove.mutateAsync(d.deptId).then(
          () => message.success(t('departments.deleted')),
          (error: unknown) => message.error(errorText(error)),
        ),
    });
  const title = (node: { key: number }) => {
    const d = byId.get(node.key);
    if (!d) return null;
    const action = (label: string, icon: React.ReactNode, onClick: () => void, danger = false) => (
      <Button type="text" size="small" danger={danger} icon={icon} aria-label={label} title={label} onClick={(e) => (e.stopPropagation(), onClick())} />
    );
    return (
      <Space size={4}>
        <Typography.Text>{d.name}</Typography.Text>
        {d.region && <Typography.Text type="secondary">{t('departments.regionOwn', { region: d.region })}</Typography.Text>}
        {action(t('departments.newChildOf', { name: d.name }), <PlusOutlined />, () => setEditing({ mode: 'create', parent: d }))}
        {action(t('departments.renameOf', { name: d.name }), <EditOutlined />, () => setEditing({ mode: 'rename', department: d }))}
        {d.parentId !== 0 && action(t('departments.moveOf', { name: d.name }), <DragOutlined />, () => setEditing({ mode: 'move', department: d }))}
        {action(t('departments.deleteOf', { name: d.name }), <DeleteOutlined />, () => confirmDelete(d), true)}
      </Space>
    );
  };

  return (
    <Card
      size="small"
      title={
        <Space>
          <ApartmentOutlined />
          {t('tabs.departments')}
        </Space>
      }
    >
      {departments.data.length === 0 ? (
        <Empty description={t('departments.empty')}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create', parent: null })}>
            {t('departments.new')}
          </Button>
        </Empty>
      ) : (
        <Tree
          aria-label={t('tabs.departments')}
          treeData={tree}
          defaultExpandAll
          selectable={false}
          blockNode
          titleRender={(node) => title(node as { key: number })}
        />
      )}
      <DepartmentModal edit={editing} departments={departments.data} onClose={() => setEditing(null)} />
    </Card>
  );
}
