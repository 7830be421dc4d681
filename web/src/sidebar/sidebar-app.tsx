import { Alert, Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/client.js';
import { useMe } from '../api/session.js';
import { LanguageSwitch } from '../components/language-switch.js';
import { Providers } from '../providers.js';
import { CustomerTags } from './customer-tags.js';

/** The customer the sidebar is opened for: `?externalUserid=` (the WeCom JS-SDK will supply it with the connector). */
function currentCustomer(): string | null {
  return new URLSearchParams(window.location.search).get('externalUserid');
}

function Sidebar() {
  const { t } = useTranslation('sidebar');
  const me = useMe();
  const externalUserid = currentCustomer();
  if (me.isPending) return <Spin style={{ display: 'block', margin: '30vh auto' }} />;
  if (me.isError) return <Alert type="error" showIcon message={errorText(me.error)} />;
  if (!me.data) {
    const next = `${window.location.pathname}${window.location.search}`;
    return (
      <Result
        status="info"
        title={t('loginFirst')}
        extra={
          <Button type="primary" href={`/login?next=${encodeURIComponent(next)}`}>
            {t('login')}
          </Button>
        }
      />
    );
  }
  if (!externalUserid) return <Result status="warning" title={t('noCustomer')} />;
  return <CustomerTags me={me.data} externalUserid={externalUserid} />;
}

/** 员工侧边栏: the chat's customer, their tags at a glance, and the tags this employee may apply. */
export function SidebarApp() {
  return (
    <Providers>
      <div style={{ maxWidth: 480, margin: '0 auto', padding: 12 }}>
        <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 8 }}>
          <LanguageSwitch />
        </div>
        <Sidebar />
      </div>
    </Providers>
  );
}
