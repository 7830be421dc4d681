import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Empty, Select, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { useRuleGroupActions, useRuleGroupTags } from '../../api/rule-groups.js';
import { useSettings } from '../../api/tags.js';
import { NameInput } from '../../components/name-input.js';
import { RuleTagGroupCard } from './rule-tag-group-card.js';
import { RuleTagModal, type RuleTagTarget } from './rule-tag-modal.js';

/**
 * A top-level rule group's own tag library: its tag groups with their tags (each renamed, deleted
 * or added to on its card), a new group with several tags at once, and renaming, reordering or
 * deleting a group.
 */
export function RuleGroupTags({ strategyId }: { strategyId: number }) {
  const { t } = useTranslation('rules');
  const { message } = App.useApp();
  const groups = useRuleGroupTags(strategyId);
  const actions = useRuleGroupActions();
  const nameMax = useSettings().data?.limits.nameMaxLength ?? 16;
  const [name, setName] = useState('');
  const [tagNames, setTagNames] = useState<string[]>([]);
  const [editing, setEditing] = useState<RuleTagTarget | null>(null);
  const add = () =>
    actions.addTagGroup.mutate(
      { strategyId, name: name.trim(), tags: tagNames },
      {
        onSuccess: () => {
          setName('');
          setTagNames([]);
        },
        onError: (e) => message.error(errorText(e)),
      },
    );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {groups.isPending && <Skeleton active paragraph={{ rows: 2 }} />}
      {groups.isError && <Typography.Text type="danger">{errorText(groups.error)}</Typography.Text>}
      {groups.data?.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tags.none')} />}
      {groups.data?.map((group) => (
        <RuleTagGroupCard key={group.groupId} strategyId={strategyId} group={group} nameMax={nameMax} onEdit={setEditing} />
      ))}
      <Space.Compact style={{ width: '100%' }}>
        <NameInput
          max={nameMax}
          aria-label={t('tags.groupName')}
          placeholder={t('tags.groupName')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          style={{ width: 200 }}
        />
        <Select
          mode="tags"
          aria-label={t('tags.tagNames')}
          placeholder={t('tags.tagNames')}
          value={tagNames}
          onChange={setTagNames}
          open={false}
          suffixIcon={null}
          style={{ flex: 1, minWidth: 200 }}
        />
        <Button icon={<PlusOutlined />} onClick={add} disabled={!name.trim() || tagNames.length === 0} loading={actions.addTagGroup.isPending}>
          {t('tags.add')}
        </Button>
      </Space.Compact>
      <RuleTagModal target={editing} onClose={() => setEditing(null)} />
    </Space>
  );
}
