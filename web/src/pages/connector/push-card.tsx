import { RedoOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Popconfirm, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { type PushItemDto, useDeadLetters, usePushReplay, usePushSummary } from '../../api/connector.js';
import { QueryState } from '../../components/query-state.js';
import { toShanghai } from '../contact-ways/campaign-window.js';
import { describePush, minutesSince } from './connector-logic.js';

/**
 * 推送: how many local changes wait to go to WeCom and how many gave up (dead letters, with WeCom's
 * errcode and errmsg), the oldest waiting one's age, and a replay per row or for all.
 */
export function PushCard() {
  const { t } = useTranslation('connector');
  const { message } = App.useApp();
  const summary = usePushSummary(true);
  const dead = useDeadLetters(true);
  const replay = usePushReplay();
  const s = summary.data;
  const age = minutesSince(s?.oldestPendingAt ?? null);
  const replayed = () => void message.success(t('push.replayed'));

  return (
    <Card
      title={t('push.title')}
      extra={
        <Popconfirm
          title={t('push.replayAllConfirm', { count: s?.dead ?? 0 })}
          okText={t('push.replayAll')}
          cancelText={t('common:cancel')}
          disabled={!s?.dead}
          onConfirm={() => replay.all.mutate(undefined, { onSuccess: replayed, onError: (e) => message.error(errorText(e)) })}
        >
          <Button icon={<RedoOutlined />} disabled={!s?.dead} loading={replay.all.isPending}>
            {t('push.replayAll')}
          </Button>
        </Popconfirm>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <QueryState query={summary} rows={1} />
        {s && (
          <Space size="large" wrap>
            <Statistic title={t('push.pending')} value={s.pending} />
            <Statistic title={t('push.dead')} value={s.dead} styles={{ content: s.dead > 0 ? { color: '#cf1322' } : undefined }} />
            <Statistic title={t('push.oldest')} value={age === null ? '—' : t('push.minutes', { count: age })} />
            {!s.pushEnabled && <Tag>{t('push.off')}</Tag>}
          </Space>
        )}
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('push.deadTitle')}
        </Typography.Title>
        <QueryState query={dead} rows={2} />
        {dead.data && dead.data.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('push.noDead')} />}
        {dead.data && dead.data.length > 0 && (
          <Table<PushItemDto>
            rowKey="itemId"
            size="small"
            pagination={false}
            scroll={{ x: 820 }}
            dataSource={dead.data}
            data-testid="dead-letters"
            columns={[
              { title: t('push.col.op'), dataIndex: 'op', render: (op: string) => <Tag>{op}</Tag> },
              { title: t('push.col.summary'), key: 'summary', render: (_: unknown, item) => describePush(t, item.description) },
              { title: t('push.col.attempts'), dataIndex: 'attempts', width: 90 },
              {
                title: t('push.col.error'),
                key: 'error',
                render: (_: unknown, item) => (
                  <Typography.Text>
                    {item.lastErrcode !== null && <Typography.Text code>{item.lastErrcode}</Typography.Text>} {item.lastError}
                  </Typography.Text>
                ),
              },
              { title: t('push.col.time'), key: 'time', render: (_: unknown, item) => toShanghai(item.doneAt ?? item.createdAt) },
              {
                title: t('push.col.actions'),
                key: 'actions',
                width: 100,
                render: (_: unknown, item) => (
                  <Button
                    size="small"
                    icon={<RedoOutlined />}
                    aria-label={t('push.replayOne', { summary: describePush(t, item.description) })}
                    loading={replay.one.isPending && replay.one.variables === item.itemId}
                    onClick={() => replay.one.mutate(item.itemId, { onSuccess: replayed, onError: (e) => message.error(errorText(e)) })}
                  >
                    {t('push.replay')}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Space>
    </Card>
  );
}
