import { KeyOutlined, LogoutOutlined, SearchOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown, Grid, Layout, Menu, Space, Typography } from 'antd';
import { lazy, type ReactNode, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { type MeDto, useLogout } from '../api/session.js';
import { pages } from '../pages/registry.js';
import { LanguageSwitch } from './language-switch.js';
import { QuickJump } from './quick-jump.js';

// Opened rarely: its form (and the contract it checks against) load only when asked for.
const ChangePasswordModal = lazy(() => import('./change-password-modal.js'));

/**
 * The console's frame: the pages the user may open on the left, and on top the quick jump
 * (Ctrl/⌘+K), the language switch and the user's menu.
 */
export function AppShell({ me, children }: { me: MeDto; children: ReactNode }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const logout = useLogout();
  const [jumping, setJumping] = useState(false);
  const [collapsed, setCollapsed] = useState(false);
  const [changingPassword, setChangingPassword] = useState(false);
  // On a narrow screen the header keeps its controls as icons, so nothing runs off the edge.
  const wide = Grid.useBreakpoint().md !== false;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setJumping(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const visible = pages.filter((p) => p.visible(me));
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        breakpoint="md"
        collapsedWidth={56}
        collapsed={collapsed}
        onCollapse={setCollapsed}
        trigger={null}
        theme="light"
        style={{ borderRight: '1px solid #f0f0f0' }}
      >
        <Typography.Title level={4} style={{ padding: collapsed ? '16px 0' : '16px 20px', margin: 0, textAlign: collapsed ? 'center' : 'left' }}>
          {collapsed ? 'T' : 'Tagloom'}
        </Typography.Title>
        <Menu
          mode="inline"
          selectedKeys={[location.pathname]}
          items={visible.map((p) => ({ key: p.path, icon: p.icon, label: t(p.titleKey) }))}
          onClick={({ key }) => navigate(key)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 12px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: 8,
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Button icon={<SearchOutlined />} onClick={() => setJumping(true)} aria-label={t('quickJump.open')}>
            {wide && (
              <>
                {t('quickJump.button')}{' '}
                <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                  Ctrl K
                </Typography.Text>
              </>
            )}
          </Button>
          <Space size={wide ? 'middle' : 'small'}>
            <LanguageSwitch />
            <Dropdown
              // Opened by a click (or Enter), so keyboard and touch users reach 修改密码 and 退出登录 as mouse users do.
              trigger={['click']}
              menu={{
                items: [
                  { key: 'password', icon: <KeyOutlined />, label: t('changePassword') },
                  { key: 'logout', icon: <LogoutOutlined />, label: t('logout') },
                ],
                onClick: ({ key }) => (key === 'password' ? setChangingPassword(true) : logout.mutate(undefined, { onSettled: () => navigate('/login') })),
              }}
            >
              <Button type="text" icon={<UserOutlined />} aria-label={t('userMenu')}>
                {wide && `${me.name} · ${me.roleName}`}
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: wide ? 24 : 12, minWidth: 0 }}>{children}</Layout.Content>
      </Layout>
      <QuickJump open={jumping} me={me} onClose={() => setJumping(false)} />
      {changingPassword && (
        <Suspense fallback={null}>
          <ChangePasswordModal open onClose={() => setChangingPassword(false)} />
        </Suspense>
      )}
    </Layout>
  );
}
