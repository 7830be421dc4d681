import { Result, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { can, type MeDto } from '../../api/session.js';
import { AppsTab } from './apps-tab.js';
import { DepartmentsTab } from './departments-tab.js';
import { MembersTab } from './members-tab.js';
import { RolesTab } from './roles-tab.js';

/**
 * 权限配置: roles × permissions, members, departments and apps, each tab shown only to users whose
 * abilities allow it (`role.manage` for roles, `org.manage` for the directory and apps). The open
 * tab is in the URL (`?tab=`) so a link or a reload lands on it.
 */
export default function PermissionsPage({ me }: { me: MeDto }) {
  const { t } = useTranslation('permissions');
  const [params, setParams] = useSearchParams();
  const roles = can(me, 'role.manage');
  const org = can(me, 'org.manage');
  if (!roles && !org) return <Result status="403" title={t('forbidden')} />;
  const items = [
    ...(roles ? [{ key: 'roles', label: t('tabs.roles'), children: <RolesTab me={me} /> }] : []),
    ...(org
      ? [
          { key: 'members', label: t('tabs.members'), children: <MembersTab /> },
          { key: 'departments', label: t('tabs.departments'), children: <DepartmentsTab /> },
          { key: 'apps', label: t('tabs.apps'), children: <AppsTab /> },
        ]
      : []),
  ];
  const asked = params.get('tab');
  const active = items.some((i) => i.key === asked) ? asked! : items[0]!.key;
  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('title')}
      </Typography.Title>
      <Tabs activeKey={active} items={items} destroyOnHidden onChange={(tab) => setParams({ tab }, { replace: true })} />
    </>
  );
}
