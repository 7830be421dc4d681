import { Alert, Result, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useConnection } from '../../api/connector.js';
import { can, type MeDto } from '../../api/session.js';
import { PageHeader } from '../../components/page-header.js';
import { QueryState } from '../../components/query-state.js';
import { CallbacksCard } from './callbacks-card.js';
import { ConnectionCard } from './connection-card.js';
import { PushCard } from './push-card.js';
import { SyncCard } from './sync-card.js';

/**
 * 企业微信连接: the connection to the corp's real WeCom (secrets saved sealed, never shown back), the
 * pulls with their live progress, the push queue's dead letters with replay, and the callback log.
 * Everything here needs `corp.settings`, as the server checks.
 */
export default function ConnectorPage({ me }: { me: MeDto }) {
  const { t } = useTranslation('connector');
  const allowed = can(me, 'corp.settings');
  const connection = useConnection(allowed);
  if (!allowed) return <Result status="403" title={t('noAccess')} />;
  const connected = connection.data?.connected ? connection.data : null;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 1100 }}>
      <PageHeader title={t('title')} intro={t('intro')} />
      <QueryState query={connection} />
      {connection.data && !connected && <Alert type="info" showIcon title={t('notConnected')} />}
      {connection.data && <ConnectionCard connection={connection.data} />}
      {connected && <SyncCard connection={connected} />}
      {connected && <PushCard />}
      {connected && <CallbacksCard />}
    </Space>
  );
}
