import { CloseOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Tag as Chip, Popconfirm, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { type StrategyTagGroupDto, useRuleGroupActions } from '../../api/rule-groups.js';
import { NameInput } from '../../components/name-input.js';
import type { RuleTagTarget } from './rule-tag-modal.js';

/**
 * One tag group of a rule group's library: its tags, each renamed or deleted on its own, a new
 * tag added to it (by the group's name, as add_strategy_tag merges), renaming or reordering the
 * group, and deleting the whole group.
 */
export function RuleTagGroupCard({
  strategyId,
  group,
  nameMax,
  onEdit,
}: {
  strategyId: number;
  group: StrategyTagGroupDto;
  nameMax: number;
  onEdit: (target: RuleTagTarget) => void;
}) {
  const { t } = useTranslation('rules');
  const { message } = App.useApp();
  const actions = useRuleGroupActions();
  const [newTag, setNewTag] = useState('');
  const fail = { onError: (e: unknown) => message.error(errorText(e)) };
  const add = () => actions.addTagGroup.mutate({ strategyId, name: group.name, tags: [newTag.trim()] }, { ...fail, onSuccess: () => setNewTag('') });
  return (
    <Card
      size="small"
      title={group.name}
      extra={
        <Space size={0}>
          <Button
            size="small"
            type="text"
            icon={<EditOutlined />}
            aria-label={t('tags.editGroup', { name: group.name })}
            onClick={() => onEdit({ strategyId, kind: 'group', id: group.groupId, name: group.name, order: group.order })}
          />
          <Popconfirm
            title={t('tags.deleteGroup', { name: group.name })}
            okText={t('deleteOk')}
            cancelText={t('common:cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => actions.removeTagGroup.mutate({ strategyId, groupId: group.groupId }, fail)}
          >
            <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('tags.deleteGroup', { name: group.name })} />
          </Popconfirm>
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space size={[6, 6]} wrap>
          {group.tags.map((tag) => (
            <Chip key={tag.tagId} color="purple" style={{ paddingInlineEnd: 2 }}>
              {tag.name}
              <Button
                size="small"
                type="text"
                icon={<EditOutlined />}
                aria-label={t('tags.editTag', { name: tag.name })}
                onClick={() => onEdit({ strategyId, kind: 'tag', id: tag.tagId, name: tag.name, order: tag.order })}
              />
              <Popconfirm
                title={t('tags.deleteTagConfirm', { name: tag.name })}
                description={t('tags.deleteTagHelp')}
                okText={t('deleteOk')}
                cancelText={t('common:cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() => actions.removeTag.mutate({ strategyId, tagId: tag.tagId }, fail)}
              >
                <Button size="small" type="text" icon={<CloseOutlined />} aria-label={t('tags.deleteTag', { name: tag.name })} />
              </Popconfirm>
            </Chip>
          ))}
        </Space>
        <Space.Compact>
          <NameInput
            max={nameMax}
            aria-label={t('tags.addTagTo', { group: group.name })}
            placeholder={t('tags.newTagName')}
            value={newTag}
            onChange={(e) => setNewTag(e.target.value)}
            onPressEnter={() => newTag.trim() && add()}
            style={{ width: 220 }}
          />
          <Button icon={<PlusOutlined />} onClick={add} disabled={!newTag.trim()} loading={actions.addTagGroup.isPending}>
            {t('tags.addTag')}
          </Button>
        </Space.Compact>
      </Space>
    </Card>
  );
}
