import { DeleteOutlined, EditOutlined, PlusOutlined, QrcodeOutlined } from '@ant-design/icons';
import { App, Button, Empty, Popconfirm, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { type GroupChatDto, type JoinWayDto, useJoinWayActions, useJoinWays } from '../../api/group-chats.js';
import { QueryState } from '../../components/query-state.js';
import { toShanghai } from '../contact-ways/campaign-window.js';
import { JoinWayDetail } from './join-way-detail.js';
import { JoinWayDrawer, type JoinWayTarget } from './join-way-drawer.js';

/** 入群活码: the join ways (list, create, change, delete) and each one's QR code and arrivals. */
export function JoinWaysTab({ chats, manage }: { chats: GroupChatDto[]; manage: boolean }) {
  const { t } = useTranslation('inputs');
  const { message } = App.useApp();
  const ways = useJoinWays();
  const actions = useJoinWayActions();
  const [target, setTarget] = useState<JoinWayTarget | null>(null);
  const [shownId, setShownId] = useState<string | null>(null);
  const shown = ways.data?.find((w) => w.configId === shownId) ?? null;
  const chatNames = new Map(chats.map((c) => [c.chatId, c.name]));
  const chatName = (chatId: string) => chatNames.get(chatId) || chatId;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {manage && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({ mode: 'new' })}>
          {t('joinWays.new')}
        </Button>
      )}
      <QueryState query={ways} />
      {ways.data && ways.data.length === 0 && <Empty description={t('joinWays.empty')} />}
      {ways.data && ways.data.length > 0 && (
        <Table
          rowKey="configId"
          size="middle"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 900 }}
          dataSource={ways.data}
          columns={[
            {
              title: t('joinWays.field.remark'),
              dataIndex: 'remark',
              render: (remark: string, w: JoinWayDto) => (
                <Button type="link" style={{ padding: 0 }} onClick={() => setShownId(w.configId)}>
                  {remark || w.configId}
                </Button>
              ),
            },
            { title: t('joinWays.field.state'), dataIndex: 'state', render: (state: string) => state || '—' },
            { title: t('joinWays.field.scene'), dataIndex: 'scene', render: (scene: JoinWayDto['scene']) => <Tag>{t(`contactWays.scene.${scene}`)}</Tag> },
            { title: t('joinWays.field.chatIdList'), dataIndex: 'chatIdList', render: (ids: string[]) => ids.map(chatName).join('、') },
            { title: t('joinWays.col.createdAt'), dataIndex: 'createdAt', render: (at: string) => toShanghai(at) },
            {
              title: t('contactWays.col.actions'),
              key: 'actions',
              width: 130,
              render: (_: unknown, w: JoinWayDto) => {
                const name = w.remark || w.configId;
                return (
                  <Space size={0}>
                    <Button
                      type="text"
                      size="small"
                      icon={<QrcodeOutlined />}
                      aria-label={t('joinWays.show', { name })}
                      onClick={() => setShownId(w.configId)}
                    />
                    {manage && (
                      <>
                        <Button
                          type="text"
                          size="small"
                          icon={<EditOutlined />}
                          aria-label={t('joinWays.edit', { name })}
                          onClick={() => setTarget({ mode: 'edit', way: w })}
                        />
                        <Popconfirm
                          title={t('joinWays.deleteConfirm', { name })}
                          description={t('joinWays.deleteHelp')}
                          okText={t('delete')}
                          cancelText={t('common:cancel')}
                          okButtonProps={{ danger: true }}
                          onConfirm={() =>
                            actions.remove.mutate(w.configId, { onSuccess: () => message.success(t('deleted')), onError: (e) => message.error(errorText(e)) })
                          }
                        >
                          <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('joinWays.delete', { name })} />
                        </Popconfirm>
                      </>
                    )}
                  </Space>
                );
              },
            },
          ]}
        />
      )}
      <JoinWayDrawer target={target} chats={chats} onClose={() => setTarget(null)} />
      <JoinWayDetail way={shown} chatName={chatName} onClose={() => setShownId(null)} />
    </Space>
  );
}
