import { Result, Spin } from 'antd';
import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { setUnauthorizedHandler } from './api/client.js';
import { useMe } from './api/session.js';
import { AppShell } from './components/app-shell.js';
import { Providers } from './providers.js';

// Each page is its own chunk: the first load carries the shell and the page asked for, no more.
const LoginPage = lazy(() => import('./pages/login/login-page.js'));
const TagLibraryPage = lazy(() => import('./pages/tag-library/tag-library-page.js'));
const CustomersPage = lazy(() => import('./pages/customers/customers-page.js'));
const SmartGroupsPage = lazy(() => import('./pages/smart-groups/smart-groups-page.js'));
const RulesPage = lazy(() => import('./pages/rules/rules-page.js'));
const RuleGroupsPage = lazy(() => import('./pages/rule-groups/rule-groups-page.js'));
const PermissionsPage = lazy(() => import('./pages/permissions/permissions-page.js'));
const ImportExportPage = lazy(() => import('./pages/import-export/import-export-page.js'));
const OperationsPage = lazy(() => import('./pages/operations/operations-page.js'));
const AuditPage = lazy(() => import('./pages/audit/audit-page.js'));
const AudiencesPage = lazy(() => import('./pages/audiences/audiences-page.js'));
const SettingsPage = lazy(() => import('./pages/settings/settings-page.js'));
const StatsPage = lazy(() => import('./pages/stats/stats-page.js'));
const ContactWaysPage = lazy(() => import('./pages/contact-ways/contact-ways-page.js'));
const GroupChatsPage = lazy(() => import('./pages/group-chats/group-chats-page.js'));
const WebhookSourcesPage = lazy(() => import('./pages/webhook-sources/webhook-sources-page.js'));
const MomentsPage = lazy(() => import('./pages/moments/moments-page.js'));
const ConnectorPage = lazy(() => import('./pages/connector/connector-page.js'));
const WebhookSubscriptionsPage = lazy(() => import('./pages/webhook-subscriptions/webhook-subscriptions-page.js'));

function Loading() {
  return <Spin style={{ display: 'block', margin: '20vh auto' }} size="large" />;
}

/** Pages behind the login: without a session, the user goes to /login and comes back after. */
function Authenticated() {
  const me = useMe();
  const location = useLocation();
  const { t } = useTranslation();
  if (me.isPending) return <Loading />;
  if (me.isError) return <Result status="error" title={t('loadFailed')} subTitle={String(me.error.message)} />;
  if (!me.data) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return (
    <AppShell me={me.data}>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<Navigate to="/tags" replace />} />
          <Route path="/tags" element={<TagLibraryPage me={me.data} />} />
          <Route path="/customers" element={<CustomersPage me={me.data} />} />
          <Route path="/smart-groups" element={<SmartGroupsPage me={me.data} />} />
          <Route path="/rules" element={<RulesPage me={me.data} />} />
          <Route path="/rule-groups" element={<RuleGroupsPage me={me.data} />} />
          <Route path="/permissions" element={<PermissionsPage me={me.data} />} />
          <Route path="/import-export" element={<ImportExportPage me={me.data} />} />
          <Route path="/operations" element={<OperationsPage />} />
          <Route path="/audit" element={<AuditPage />} />
          <Route path="/audiences" element={<AudiencesPage me={me.data} />} />
          <Route path="/settings" element={<SettingsPage me={me.data} />} />
          <Route path="/stats" element={<StatsPage />} />
          <Route path="/contact-ways" element={<ContactWaysPage me={me.data} />} />
          <Route path="/group-chats" element={<GroupChatsPage me={me.data} />} />
          <Route path="/webhook-sources" element={<WebhookSourcesPage me={me.data} />} />
          <Route path="/moments" element={<MomentsPage me={me.data} />} />
          <Route path="/connector" element={<ConnectorPage me={me.data} />} />
          <Route path="/webhook-subscriptions" element={<WebhookSubscriptionsPage me={me.data} />} />
          <Route path="*" element={<Result status="404" title={t('notFound')} />} />
        </Routes>
      </Suspense>
    </AppShell>
  );
}

function UnauthorizedRedirect() {
  const navigate = useNavigate();
  useEffect(() => setUnauthorizedHandler(() => navigate('/login', { replace: true })), [navigate]);
  return null;
}

/** The admin console: login, then the shell with its pages. */
export function App() {
  return (
    <Providers>
      <BrowserRouter>
        <UnauthorizedRedirect />
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route path="/*" element={<Authenticated />} />
          </Routes>
        </Suspense>
      </BrowserRouter>
    </Providers>
  );
}
