import { App, Button, Empty, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { type SuppressionDto, useLiftSuppression, useSuppressions } from '../../api/moments.js';
import { useTagGroups } from '../../api/tags.js';
import { CursorPager, useCursorPages } from '../../components/cursor-pager.js';
import { QueryState } from '../../components/query-state.js';

/**
 * 屏蔽名单: customers kept off a tag group's posts after pressing 不感兴趣 N times in a row, with
 * the posts that put them there; 解除 lets them get that group's posts again.
 */
export function SuppressionsTab({ canPublish, onOpenMoment }: { canPublish: boolean; onOpenMoment: (momentId: string) => void }) {
  const { t } = useTranslation('moments');
  const { message } = App.useApp();
  const [groupId, setGroupId] = useState<string | undefined>();
  const pages = useCursorPages();
  const list = useSuppressions({ groupId, cursor: pages.cursor });
  const lift = useLiftSuppression();
  const groups = useTagGroups();
  const groupOptions = useMemo(() => (groups.data ?? []).map((g) => ({ value: g.groupId, label: g.name })), [groups.data]);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('suppressions.intro')}</Typography.Text>
      <Select
        allowClear
        showSearch
        optionFilterProp="label"
        aria-label={t('suppressions.group')}
        placeholder={t('suppressions.group')}
        options={groupOptions}
        value={groupId}
        onChange={(v) => {
          setGroupId(v);
          pages.reset();
        }}
        style={{ width: 220 }}
      />
      <QueryState query={list} />
      {list.data && (
        <>
          <Table<SuppressionDto>
            size="middle"
            rowKey={(s) => `${s.groupId}/${s.externalUserid}`}
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={list.data.suppressions}
            locale={{ emptyText: <Empty description={t('suppressions.empty')} /> }}
            columns={[
              { title: t('suppressions.customer'), dataIndex: 'name', render: (name: string, s) => name || s.externalUserid },
              { title: t('suppressions.group'), dataIndex: 'groupName', render: (name: string) => <Tag>{name}</Tag> },
              { title: t('suppressions.since'), dataIndex: 'since', render: (at: string) => new Date(at).toLocaleString() },
              {
                title: t('suppressions.reason'),
                key: 'reason',
                render: (_: unknown, s) => (
                  <Space size={4} wrap>
                    {t('suppressions.reasonText', { n: s.momentIds.length })}
                    {s.momentIds.map((id, i) => (
                      <Button key={id} size="small" type="link" onClick={() => onOpenMoment(id)} aria-label={t('suppressions.openPost', { n: i + 1 })}>
                        {t('suppressions.postN', { n: i + 1 })}
                      </Button>
                    ))}
                  </Space>
                ),
              },
              ...(canPublish
                ? [
                    {
                      title: t('suppressions.actions'),
                      key: 'actions',
                      render: (_: unknown, s: SuppressionDto) => (
                        <Popconfirm
                          title={t('suppressions.liftConfirm', { name: s.name || s.externalUserid, group: s.groupName })}
                          okText={t('suppressions.lift')}
                          cancelText={t('common:cancel')}
                          onConfirm={() =>
                            lift.mutateAsync({ groupId: s.groupId, externalUserid: s.externalUserid }).then(
                              () => message.success(t('suppressions.lifted')),
                              (e: unknown) => message.error(errorText(e)),
                            )
                          }
                        >
                          <Button size="small" aria-label={t('suppressions.liftOf', { name: s.name || s.externalUserid, group: s.groupName })}>
                            {t('suppressions.lift')}
                          </Button>
                        </Popconfirm>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          <CursorPager pages={pages} nextCursor={list.data.nextCursor} />
        </>
      )}
    </Space>
  );
}
