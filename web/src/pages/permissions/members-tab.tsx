import { EditOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Tag as Chip, Col, Empty, Input, Result, Row, Select, Skeleton, Space, Table, Tree, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type EmployeeDto, useDepartments, useEmployeeActions, useEmployees, useRoles } from '../../api/admin.js';
import { errorText } from '../../api/client.js';
import { EmployeeModal, PasswordModal } from './member-forms.js';
import { toDeptTree } from './org-tree.js';

/** Whether an employee matches the search box: by name or userid, case-insensitively. */
export function matchesMember(employee: { userid: string; name: string }, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q === '' || employee.name.toLowerCase().includes(q) || employee.userid.toLowerCase().includes(q);
}

/**
 * 成员: employees within the admin's reach, filtered by a department (with its sub-departments) and
 * a search; the role (and with it the data scope) is changed in place, departments and password in
 * dialogs.
 */
export function MembersTab() {
  const { t } = useTranslation('permissions');
  const { message } = App.useApp();
  const [department, setDepartment] = useState<number | null>(null);
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<EmployeeDto | 'new' | null>(null);
  const [resetting, setResetting] = useState<EmployeeDto | null>(null);
  const departments = useDepartments();
  const roles = useRoles();
  const employees = useEmployees(department);
  const { update } = useEmployeeActions();
  const tree = useMemo(() => toDeptTree(departments.data ?? []), [departments.data]);
  const deptName = useMemo(() => new Map((departments.data ?? []).map((d) => [d.deptId, d.name])), [departments.data]);
  const roleById = useMemo(() => new Map((roles.data ?? []).map((r) => [r.roleId, r])), [roles.data]);
  const shown = (employees.data ?? []).filter((e) => matchesMember(e, query));

  const columns = [
    { key: 'name', title: t('members.name'), render: (_: unknown, e: EmployeeDto) => <Typography.Text>{e.name}</Typography.Text> },
    { key: 'userid', title: t('members.userid'), dataIndex: 'userid' },
    {
      key: 'departments',
      title: t('members.departments'),
      render: (_: unknown, e: EmployeeDto) => e.departmentIds.map((id) => <Chip key={id}>{deptName.get(id) ?? id}</Chip>),
    },
    {
      key: 'role',
      title: t('members.role'),
      render: (_: unknown, e: EmployeeDto) => (
        <Select
          size="small"
          style={{ width: 150 }}
          value={e.role}
          aria-label={t('members.roleOf', { name: e.name })}
          options={(roles.data ?? []).map((r) => ({ value: r.roleId, label: r.name }))}
          onChange={(role) =>
            update.mutate(
              { userid: e.userid, role },
              { onSuccess: () => message.success(t('members.saved')), onError: (error) => message.error(errorText(error)) },
            )
          }
        />
      ),
    },
    {
      key: 'scope',
      title: t('members.scope'),
      render: (_: unknown, e: EmployeeDto) => {
        const scope = roleById.get(e.role)?.dataScope;
        return scope ? t(`scope.${scope}`) : '—';
      },
    },
    {
      key: 'status',
      title: t('members.status'),
      render: (_: unknown, e: EmployeeDto) => <Chip color={e.status === 'active' ? 'green' : 'default'}>{t(`members.${e.status}`)}</Chip>,
    },
    {
      key: 'password',
      title: t('members.password'),
      render: (_: unknown, e: EmployeeDto) => (e.hasPassword ? t('members.hasPassword') : t('members.noPassword')),
    },
    {
      key: 'actions',
      title: t('members.actions'),
      fixed: 'right' as const,
      render: (_: unknown, e: EmployeeDto) => (
        <Space size={0}>
          <Button type="link" size="small" icon={<EditOutlined />} aria-label={t('members.editOf', { name: e.name })} onClick={() => setEditing(e)}>
            {t('members.edit')}
          </Button>
          <Button type="link" size="small" icon={<KeyOutlined />} aria-label={t('members.resetPasswordOf', { name: e.name })} onClick={() => setResetting(e)}>
            {t('members.resetPassword')}
          </Button>
        </Space>
      ),
    },
  ];

  const failed = departments.error ?? roles.error ?? employees.error;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={7} xl={5}>
        <Card size="small" title={t('members.deptFilter')}>
          {departments.isPending ? (
            <Skeleton active />
          ) : (
            <>
              <Button type={department === null ? 'primary' : 'text'} size="small" onClick={() => setDepartment(null)} style={{ marginBottom: 8 }}>
                {t('members.allDepartments')}
              </Button>
              <Tree
                aria-label={t('members.deptFilter')}
                treeData={tree}
                defaultExpandAll
                selectedKeys={department === null ? [] : [department]}
                onSelect={(keys) => setDepartment(keys.length > 0 ? Number(keys[0]) : null)}
              />
            </>
          )}
        </Card>
      </Col>
      <Col xs={24} md={17} xl={19}>
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Space wrap>
            <Input.Search
              allowClear
              placeholder={t('members.search')}
              aria-label={t('members.search')}
              onChange={(e) => setQuery(e.target.value)}
              style={{ width: 240 }}
            />
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {t('members.new')}
            </Button>
          </Space>
          {failed ? (
            <Result
              status="error"
              title={t('common:loadFailed')}
              subTitle={errorText(failed)}
              extra={<Button onClick={() => void employees.refetch()}>{t('common:retry')}</Button>}
            />
          ) : (
            <Table<EmployeeDto>
              size="small"
              rowKey="userid"
              loading={employees.isPending}
              dataSource={shown}
              columns={columns}
              scroll={{ x: 'max-content' }}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              locale={{ emptyText: <Empty description={query ? t('members.noMatch') : t('members.empty')} /> }}
            />
          )}
        </Space>
      </Col>
      <EmployeeModal employee={editing} defaultDepartment={department} tree={tree} roles={roles.data ?? []} onClose={() => setEditing(null)} />
      <PasswordModal employee={resetting} onClose={() => setResetting(null)} />
    </Row>
  );
}
