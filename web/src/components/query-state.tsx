import { Button, Result, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/client.js';

/**
 * What a page shows while its list loads (a skeleton) or when loading failed (the server's
 * message and a retry button); nothing once the data is there.
 */
export function QueryState({ query, rows = 6 }: { query: { isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown }; rows?: number }) {
  const { t } = useTranslation();
  if (query.isPending) return <Skeleton active paragraph={{ rows }} />;
  if (query.isError)
    return (
      <Result
        status="error"
        title={t('loadFailed')}
        subTitle={errorText(query.error)}
        extra={<Button onClick={() => void query.refetch()}>{t('retry')}</Button>}
      />
    );
  return null;
}
