import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Popconfirm, Select, Space, Tag as Chip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRuleGroupActions, useRuleGroupTags } from '../../api/rule-groups.js';
import { errorText } from '../../api/client.js';
import { useSettings } from '../../api/tags.js';
import { NameInput } from '../../components/name-input.js';

/**
 * A top-level rule group's own tag library: its tag groups with their tags, a new group with
 * several tags at once, and deleting a group (its tags' marks restorable for 30 days).
 */
export function RuleGroupTags({ strategyId }: { strategyId: number }) {
  const { t } = useTranslation('rules');
  const { message } = App.useApp();
  const groups = useRuleGroupTags(strategyId);
  const actions = useRuleGroupActions();
  const nameMax = useSettings().data?.limits.nameMaxLength ?? 16;
  const [name, setName] = useState('');
  const [tagNames, setTagNames] = useState<string[]>([]);
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
      {groups.isError && <Typography.Text type="danger">{errorText(groups.error)}</Typography.Text>}
      {groups.data?.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tags.none')} />}
      {groups.data?.map((group) => (
        <Card
          key={group.groupId}
          size="small"
          title={group.name}
          extra={
            <Popconfirm title={t('tags.deleteGroup', { name: group.name })} okText={t('deleteOk')} cancelText={t('common:cancel')} okButtonProps={{ danger: true }} onConfirm={() => actions.removeTagGroup.mutate({ strategyId, groupId: group.groupId }, { onError: (e) => message.error(errorText(e)) })}>
              <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('tags.deleteGroup', { name: group.name })} />
            </Popconfirm>
          }
        >
          <Space size={[6, 6]} wrap>
            {group.tags.map((tag) => (
              <Chip key={tag.tagId} color="purple">
                {tag.name}
              </Chip>
            ))}
          </Space>
        </Card>
      ))}
      <Space.Compact style={{ width: '100%' }}>
        <NameInput max={nameMax} aria-label={t('tags.groupName')} placeholder={t('tags.groupName')} value={name} onChange={(e) => setName(e.target.value)} style={{ width: 200 }} />
        <Select mode="tags" aria-label={t('tags.tagNames')} placeholder={t('tags.tagNames')} value={tagNames} onChange={setTagNames} open={false} suffixIcon={null} style={{ flex: 1, minWidth: 200 }} />
        <Button icon={<PlusOutlined />} onClick={add} disabled={!name.trim() || tagNames.length === 0} loading={actions.addTagGroup.isPending}>
          {t('tags.add')}
        </Button>
      </Space.Compact>
    </Space>
  );
}
