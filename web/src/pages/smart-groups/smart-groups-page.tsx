import { DeleteOutlined, EditOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { App, Badge, Button, Card, Empty, Popconfirm, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { can, type MeDto } from '../../api/session.js';
import { type SmartGroupDto, useSmartGroupActions, useSmartGroups } from '../../api/smart-groups.js';
import { PageHeader } from '../../components/page-header.js';
import { QueryState } from '../../components/query-state.js';
import { useAudienceSummary } from './audience-picker.js';
import { useBuilderChoices } from './builder-choices.js';
import { ScopeModal } from './scope-modal.js';
import { SmartGroupModal } from './smart-group-modal.js';
import { type EditorTarget, SmartTagEditor } from './smart-tag-editor.js';

function GroupCard({
  group,
  manage,
  onEdit,
  onScope,
  onRename,
}: {
  group: SmartGroupDto;
  manage: boolean;
  onEdit: (target: EditorTarget) => void;
  onScope: (group: SmartGroupDto) => void;
  onRename: (group: SmartGroupDto) => void;
}) {
  const { t } = useTranslation('smart');
  const { message } = App.useApp();
  const actions = useSmartGroupActions();
  const summary = useAudienceSummary();
  const fail = { onError: (e: unknown) => message.error(errorText(e)) };
  return (
    <Card
      size="small"
      title={
        <Space wrap>
          <Typography.Text strong>{group.name}</Typography.Text>
          <Typography.Text type="secondary">{t('scope.label', { who: summary(group.scope) })}</Typography.Text>
        </Space>
      }
      extra={
        manage && (
          <Space size={4}>
            <Button size="small" icon={<PlusOutlined />} onClick={() => onEdit({ mode: 'new-tag', group })}>
              {t('newTag')}
            </Button>
            <Button size="small" type="text" icon={<EditOutlined />} aria-label={t('groupEdit.open', { name: group.name })} onClick={() => onRename(group)} />
            <Button size="small" type="text" icon={<TeamOutlined />} aria-label={t('scope.edit', { name: group.name })} onClick={() => onScope(group)} />
            <Popconfirm
              title={t('deleteGroupConfirm', { name: group.name })}
              description={t('deleteHelp')}
              okText={t('delete')}
              cancelText={t('common:cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() => actions.deleteGroup.mutate(group.groupId, fail)}
            >
              <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('deleteGroup', { name: group.name })} />
            </Popconfirm>
          </Space>
        )
      }
    >
      <Table
        size="small"
        rowKey="tagId"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={group.tags}
        locale={{ emptyText: t('noTags') }}
        columns={[
          {
            title: t('col.tag'),
            dataIndex: 'name',
            width: 200,
            render: (name: string, tag: SmartGroupDto['tags'][number]) => (
              <Space direction="vertical" size={0}>
                {tag.color ? <Badge color={tag.color} text={name} /> : name}
                {tag.description && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {tag.description}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          { title: t('col.members'), dataIndex: 'members', width: 110, align: 'right', render: (n: number) => n.toLocaleString() },
          // The rule keeps a readable width on a phone; the table scrolls sideways instead.
          {
            title: t('col.rule'),
            dataIndex: 'text',
            onCell: () => ({ style: { minWidth: 240 } }),
            render: (text: string) => (
              <Typography.Text code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                {text}
              </Typography.Text>
            ),
          },
          ...(manage
            ? [
                {
                  title: t('col.actions'),
                  key: 'actions',
                  width: 100,
                  render: (_: unknown, tag: SmartGroupDto['tags'][number]) => (
                    <Space size={0}>
                      <Button
                        size="small"
                        type="text"
                        icon={<EditOutlined />}
                        aria-label={t('editTag', { name: tag.name })}
                        onClick={() => onEdit({ mode: 'edit-tag', group, tag })}
                      />
                      <Popconfirm
                        title={t('deleteTagConfirm', { name: tag.name })}
                        description={t('deleteHelp')}
                        okText={t('delete')}
                        cancelText={t('common:cancel')}
                        okButtonProps={{ danger: true }}
                        onConfirm={() => actions.deleteTag.mutate({ groupId: group.groupId, tagId: tag.tagId }, fail)}
                      >
                        <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('deleteTag', { name: tag.name })} />
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

/**
 * 标签组规则 (smart groups): groups whose tags are put on by rules. The list shows each tag's rule
 * and how many customers carry it; the editor builds the rule with a live count and previews who
 * would gain and lose the tag before saving. Changing needs `rule.manage`.
 */
export default function SmartGroupsPage({ me }: { me: MeDto }) {
  const { t } = useTranslation('smart');
  const groups = useSmartGroups();
  const actions = useSmartGroupActions();
  const [target, setTarget] = useState<EditorTarget | null>(null);
  const [scoping, setScoping] = useState<SmartGroupDto | null>(null);
  const [renaming, setRenaming] = useState<SmartGroupDto | null>(null);
  const manage = can(me, 'rule.manage');
  const choices = useBuilderChoices();

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader
        title={t('title')}
        intro={t('intro')}
        actions={
          manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({ mode: 'new-group' })}>
              {t('newGroup')}
            </Button>
          )
        }
      />
      <QueryState query={groups} />
      {groups.data && groups.data.length === 0 && <Empty description={t('empty')} />}
      {groups.data?.map((group) => (
        <GroupCard key={group.groupId} group={group} manage={manage} onEdit={setTarget} onScope={setScoping} onRename={setRenaming} />
      ))}
      <SmartTagEditor target={target} choices={choices} onClose={() => setTarget(null)} />
      <SmartGroupModal group={renaming} onClose={() => setRenaming(null)} />
      <ScopeModal
        open={scoping !== null}
        title={t('scope.edit', { name: scoping?.name ?? '' })}
        parts={[{ key: 'scope', label: t('scope.title') }]}
        initial={{ scope: scoping?.scope }}
        onSave={(value) => actions.updateGroup.mutateAsync({ groupId: scoping!.groupId, scope: value.scope })}
        onClose={() => setScoping(null)}
      />
    </Space>
  );
}
