import { Button, Empty, Result, Space, Table, Tabs, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type GroupChatDto, useGroupChats } from '../../api/group-chats.js';
import { can, type MeDto } from '../../api/session.js';
import { useEmployees } from '../../api/smart-groups.js';
import { PageHeader } from '../../components/page-header.js';
import { QueryState } from '../../components/query-state.js';
import { toShanghai } from '../contact-ways/campaign-window.js';
import { ChatMembers } from './chat-members.js';
import { JoinWaysTab } from './join-ways-tab.js';

/**
 * 客户群: the group chats the viewer sees (owner in their data scope) with each chat's members
 * and when and how they joined; tab 入群活码 holds the join ways. Reading needs `customer.view`,
 * managing join ways `rule.manage`.
 */
export default function GroupChatsPage({ me }: { me: MeDto }) {
  const { t } = useTranslation('inputs');
  const allowed = can(me, 'customer.view');
  const chats = useGroupChats(allowed);
  const employees = useEmployees();
  const [openChat, setOpenChat] = useState<string | null>(null);
  const names = useMemo(() => {
    const byId = new Map((employees.data ?? []).map((e) => [e.userid, e.name]));
    return (userid: string) => byId.get(userid) ?? userid;
  }, [employees.data]);

  if (!allowed) return <Result status="403" title={t('noAccess')} />;
  const list = (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <QueryState query={chats} />
      {chats.data && chats.data.length === 0 && <Empty description={t('chats.empty')} />}
      {chats.data && chats.data.length > 0 && (
        <Table
          rowKey="chatId"
          size="middle"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          dataSource={chats.data}
          columns={[
            {
              title: t('chats.col.name'),
              dataIndex: 'name',
              render: (name: string, c: GroupChatDto) => (
                <Button type="link" style={{ padding: 0 }} onClick={() => setOpenChat(c.chatId)}>
                  {name || t('chats.unnamed')}
                </Button>
              ),
            },
            { title: t('chats.col.owner'), dataIndex: 'owner', render: (owner: string) => names(owner) },
            { title: t('chats.col.memberCount'), dataIndex: 'memberCount', align: 'right' },
            { title: t('chats.col.status'), dataIndex: 'status', render: (status: number) => <Tag>{t(`chats.status.${status}`)}</Tag> },
            { title: t('chats.col.createTime'), dataIndex: 'createTime', render: (at: string) => toShanghai(at) },
          ]}
        />
      )}
      <ChatMembers chatId={openChat} names={names} onClose={() => setOpenChat(null)} />
    </Space>
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader title={t('chats.title')} intro={t('chats.intro')} />
      <Tabs
        items={[
          { key: 'chats', label: t('chats.tab'), children: list },
          { key: 'join-ways', label: t('joinWays.tab'), children: <JoinWaysTab chats={chats.data ?? []} manage={can(me, 'rule.manage')} /> },
        ]}
      />
    </Space>
  );
}
