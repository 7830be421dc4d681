import { Alert, Button, Result, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../api/client.js';
import { useMe } from '../api/session.js';
import { LanguageSwitch } from '../components/language-switch.js';
import { Providers } from '../providers.js';
import { type CurrentCustomer, type JssdkConfigDto, resolveCurrentCustomer, type WecomSdk } from './current-customer.js';
import { CustomerTags } from './customer-tags.js';

/**
 * The customer the sidebar is opened for, once signed in: from WeCom's JS-SDK inside the WeCom app
 * (loaded only there, so a browser never fetches it), else `?externalUserid=`. Null while finding out.
 */
function useCurrentCustomer(signedIn: boolean): CurrentCustomer | null {
  const [found, setFound] = useState<CurrentCustomer | null>(null);
  useEffect(() => {
    if (!signedIn) return;
    let live = true;
    void resolveCurrentCustomer({
      userAgent: navigator.userAgent,
      href: window.location.href,
      fetchConfig: (url) => api<JssdkConfigDto>('GET', `/connector/jssdk-config?url=${encodeURIComponent(url)}`),
      loadSdk: async () => (await import('@wecom/jssdk')) as unknown as WecomSdk,
    }).then((customer) => {
      if (live) setFound(customer);
    });
    return () => {
      live = false;
    };
  }, [signedIn]);
  return found;
}

function Sidebar() {
  const { t } = useTranslation('sidebar');
  const me = useMe();
  const customer = useCurrentCustomer(Boolean(me.data));
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
  if (!customer) return <Spin style={{ display: 'block', margin: '30vh auto' }} aria-label={t('finding')} />;
  if (customer.externalUserid === null) {
    return (
      <Result
        status="warning"
        title={customer.reason === 'jssdk_failed' ? t('jssdkFailed') : t('noCustomer')}
        subTitle={
          <>
            {t('noCustomerHelp')}
            {customer.reason === 'jssdk_failed' && <div data-testid="jssdk-error">{customer.detail}</div>}
          </>
        }
      />
    );
  }
  return <CustomerTags me={me.data} externalUserid={customer.externalUserid} />;
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
