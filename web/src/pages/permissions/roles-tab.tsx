import { DeleteOutlined, EditOutlined, MoreOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Tag as Chip, Dropdown, Empty, Result, Select, Skeleton, Space, Table, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type PermissionDto, type RoleDto, usePermissionRegistry, useRoleActions, useRoles } from '../../api/admin.js';
import { errorText } from '../../api/client.js';
import { can, type MeDto } from '../../api/session.js';
import { groupByArea, type PermissionArea, togglePermission } from './matrix-logic.js';
import { CreateRoleModal, RenameRoleModal } from './role-forms.js';
import { dataScopes } from './scopes.js';

type Row = { key: string; kind: 'area'; area: PermissionArea } | { key: string; kind: 'scope' } | { key: string; kind: 'permission'; info: PermissionDto };

/**
 * 角色: the permission matrix — permissions as rows grouped by area, roles as columns, a box per
 * grant and each role's data scope on top. A tick saves at once (with what it depends on); the
 * server's refusal is shown as it said it.
 */
export function RolesTab({ me }: { me: MeDto }) {
  const { t } = useTranslation('permissions');
  const { message, modal } = App.useApp();
  const registry = usePermissionRegistry();
  const roles = useRoles();
  const actions = useRoleActions();
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<RoleDto | null>(null);
  const editable = can(me, 'role.manage');
  const label = (permission: string, fallback?: string) => t(`perm.${permission}`, { defaultValue: fallback ?? permission });

  const rows = useMemo<Row[]>(() => {
    const grouped = groupByArea(registry.data ?? []);
    return [
      { key: 'scope', kind: 'scope' },
      ...grouped.flatMap(({ area, permissions }) => [
        { key: `area-${area}`, kind: 'area' as const, area },
        ...permissions.map((info) => ({ key: info.permission, kind: 'permission' as const, info })),
      ]),
    ];
  }, [registry.data]);

  if (registry.isPending || roles.isPending) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (registry.isError || roles.isError)
    return (
      <Result
        status="error"
        title={t('common:loadFailed')}
        subTitle={errorText(registry.error ?? roles.error)}
        extra={<Button onClick={() => void Promise.all([registry.refetch(), roles.refetch()])}>{t('common:retry')}</Button>}
      />
    );
  if (roles.data.length === 0) return <Empty description={t('roles.empty')} />;

  const write = (role: RoleDto, change: { permissions?: string[]; dataScope?: RoleDto['dataScope'] }) =>
    actions.update.mutate(
      { roleId: role.roleId, ...change },
      { onSuccess: () => message.success(t('roles.saved')), onError: (error) => message.error(errorText(error)) },
    );
  // Taking 角色管理 away from one's own role locks one out of this tab: ask first.
  const save = (role: RoleDto, change: { permissions?: string[]; dataScope?: RoleDto['dataScope'] }) => {
    const locksOut =
      role.roleId === me.role && change.permissions !== undefined && role.permissions.includes('role.manage') && !change.permissions.includes('role.manage');
    if (!locksOut) return write(role, change);
    modal.confirm({
      title: t('roles.selfLockout'),
      okButtonProps: { danger: true },
      okText: t('common:save'),
      cancelText: t('common:cancel'),
      onOk: () => write(role, change),
    });
  };
  const remove = (role: RoleDto) =>
    modal.confirm({
      title: t('roles.deleteConfirm', { role: role.name }),
      okButtonProps: { danger: true },
      okText: t('roles.delete'),
      cancelText: t('common:cancel'),
      onOk: () =>
        actions.remove.mutateAsync(role.roleId).then(
          () => message.success(t('roles.deleted')),
          (error: unknown) => message.error(errorText(error)),
        ),
    });
  const busy = actions.update.isPending ? actions.update.variables?.roleId : undefined;

  const roleColumn = (role: RoleDto) => ({
    key: role.roleId,
    width: 150,
    align: 'center' as const,
    title: (
      <Space direction="vertical" size={2}>
        <Space size={2}>
          <Typography.Text strong>{role.name}</Typography.Text>
          {editable && (
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  { key: 'rename', icon: <EditOutlined />, label: t('roles.rename'), onClick: () => setRenaming(role) },
                  ...(role.builtIn ? [] : [{ key: 'delete', icon: <DeleteOutlined />, danger: true, label: t('roles.delete'), onClick: () => remove(role) }]),
                ],
              }}
            >
              <Button type="text" size="small" icon={<MoreOutlined />} aria-label={t('roles.menuOf', { role: role.name })} />
            </Dropdown>
          )}
        </Space>
        <span>
          <Chip>{role.roleId}</Chip>
          {role.builtIn ? (
            <Chip color="blue">{role.customized ? t('roles.customized') : t('roles.builtIn')}</Chip>
          ) : (
            <Chip color="green">{t('roles.custom')}</Chip>
          )}
        </span>
      </Space>
    ),
    onCell: (row: Row) => ({ colSpan: row.kind === 'area' ? 0 : 1 }),
    render: (_: unknown, row: Row) => {
      if (row.kind === 'scope')
        return (
          <Select
            size="small"
            style={{ width: 130 }}
            value={role.dataScope}
            disabled={!editable || busy === role.roleId}
            aria-label={t('roles.scopeOf', { role: role.name })}
            options={dataScopes.map((s) => ({ value: s, label: t(`scope.${s}`) }))}
            onChange={(dataScope) => save(role, { dataScope })}
          />
        );
      if (row.kind !== 'permission') return null;
      const granted = role.permissions.includes(row.info.permission);
      return (
        <Checkbox
          checked={granted}
          disabled={!editable || busy === role.roleId}
          aria-label={t('roles.toggle', { role: role.name, permission: label(row.info.permission, row.info.description) })}
          onChange={(e) => save(role, { permissions: togglePermission(registry.data, role.permissions, row.info.permission, e.target.checked) })}
        />
      );
    },
  });

  const columns = [
    {
      key: 'permission',
      title: t('roles.permission'),
      fixed: 'left' as const,
      width: 280,
      onCell: (row: Row) => ({ colSpan: row.kind === 'area' ? roles.data.length + 1 : 1 }),
      render: (_: unknown, row: Row) => {
        if (row.kind === 'area') return <Typography.Text strong>{t(`areas.${row.area}`)}</Typography.Text>;
        if (row.kind === 'scope') return <Typography.Text strong>{t('scope.label')}</Typography.Text>;
        const deps = row.info.dependsOn.map((d) => label(d)).join('、');
        return (
          <Tooltip title={deps ? t('roles.needs', { list: deps }) : undefined}>
            <div>
              <div>{label(row.info.permission, row.info.description)}</div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {row.info.permission}
              </Typography.Text>
            </div>
          </Tooltip>
        );
      },
    },
    ...roles.data.map(roleColumn),
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {editable ? (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('roles.new')}
        </Button>
      ) : (
        <Alert type="info" showIcon message={t('roles.readOnlyHint')} />
      )}
      <Table<Row>
        size="small"
        bordered
        pagination={false}
        rowKey="key"
        dataSource={rows}
        columns={columns}
        scroll={{ x: 280 + 150 * roles.data.length }}
        onRow={(row) => (row.kind === 'area' ? { style: { background: '#fafafa' } } : {})}
      />
      <CreateRoleModal open={creating} roles={roles.data} onClose={() => setCreating(false)} />
      <RenameRoleModal role={renaming} onClose={() => setRenaming(null)} />
    </Space>
  );
}
