import { Drawer, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useGroupChat } from '../../api/group-chats.js';
import { QueryState } from '../../components/query-state.js';
import { toShanghai } from '../contact-ways/campaign-window.js';

/** A chat's members in join order: who, employee or customer, 入群时间 (China time), how they joined and through which state. */
export function ChatMembers({ chatId, names, onClose }: { chatId: string | null; names: (userid: string) => string; onClose: () => void }) {
  const { t } = useTranslation('inputs');
  const chat = useGroupChat(chatId ?? undefined);
  return (
    <Drawer
      open={chatId !== null}
      onClose={onClose}
      width="min(880px, 96vw)"
      title={t('chats.membersTitle', { name: chat.data?.name || chatId })}
      destroyOnHidden
    >
      <QueryState query={chat} rows={4} />
      {chat.data && (
        <Table
          rowKey="memberId"
          size="small"
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          dataSource={chat.data.members ?? []}
          locale={{ emptyText: t('chats.noMembers') }}
          columns={[
            {
              title: t('chats.col.member'),
              dataIndex: 'memberId',
              render: (id: string, m) => (m.type === 'employee' ? names(id) : `${m.name || m.groupNickname || '—'} (${id})`),
            },
            {
              title: t('chats.col.type'),
              dataIndex: 'type',
              render: (type: 'employee' | 'customer') => <Tag color={type === 'customer' ? 'green' : 'default'}>{t(`chats.memberType.${type}`)}</Tag>,
            },
            { title: t('chats.col.joinTime'), dataIndex: 'joinTime', render: (at: string) => toShanghai(at) },
            {
              title: t('chats.col.joinScene'),
              dataIndex: 'joinScene',
              render: (scene: number) => t(`chats.joinScene.${scene}`, { defaultValue: String(scene) }),
            },
            { title: t('chats.col.state'), dataIndex: 'state', render: (state: string) => state || '—' },
            { title: t('chats.col.invitor'), dataIndex: 'invitor', render: (id: string) => (id ? names(id) : '—') },
          ]}
        />
      )}
    </Drawer>
  );
}
