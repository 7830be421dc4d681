import { Card, Empty, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { type CallbackLogDto, useCallbackLog } from '../../api/connector.js';
import { QueryState } from '../../components/query-state.js';
import { toShanghai } from '../contact-ways/campaign-window.js';

// Colours whose text on their tint passes AA (antd's preset tags; "success" is the darker green the walk asks for).
const outcomeColour: Record<string, string> = { applied: 'success', duplicate: 'blue', refused: 'error', failed: 'warning' };

/** 回调: the newest callbacks WeCom sent, each with what became of it (applied, duplicate, refused, failed) and why. */
export function CallbacksCard() {
  const { t } = useTranslation('connector');
  const log = useCallbackLog(true);
  return (
    <Card title={t('callbacks.title')}>
      <QueryState query={log} rows={3} />
      {log.data && log.data.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('callbacks.empty')} />}
      {log.data && log.data.length > 0 && (
        <Table<CallbackLogDto>
          rowKey="callbackId"
          size="small"
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          scroll={{ x: 720 }}
          dataSource={log.data}
          columns={[
            {
              title: t('callbacks.col.outcome'),
              dataIndex: 'outcome',
              render: (outcome: string) => (
                <Tag color={outcomeColour[outcome] ?? 'default'}>{t(`callbacks.outcome.${outcome}`, { defaultValue: outcome })}</Tag>
              ),
            },
            { title: t('callbacks.col.event'), dataIndex: 'event', render: (v: string | null) => v ?? '—' },
            { title: t('callbacks.col.changeType'), dataIndex: 'changeType', render: (v: string | null) => v ?? '—' },
            { title: t('callbacks.col.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
            { title: t('callbacks.col.time'), dataIndex: 'receivedAt', render: (at: string) => toShanghai(at) },
          ]}
        />
      )}
    </Card>
  );
}
