import { DeleteOutlined, EditOutlined, HolderOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Tag as Chip, Popover, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { type TagGroupDto, useTagLibraryActions } from '../../api/tags.js';
import { NameInput } from '../../components/name-input.js';
import { theme } from '../../providers.js';
import { TagGroupScopeButton } from '../smart-groups/tag-group-scope.js';
import type { DeleteTarget } from './delete-confirm.js';

/** A name entered in a popover: rename a tag or group, or add a tag. Enter saves, Esc closes. */
function NamePopover({
  label,
  initial,
  max,
  onSave,
  children,
}: {
  label: string;
  initial: string;
  max: number;
  onSave: (name: string) => Promise<unknown>;
  children: React.ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(initial);
  const [saving, setSaving] = useState(false);
  const { message } = App.useApp();
  const save = async () => {
    setSaving(true);
    try {
      await onSave(value);
      setOpen(false);
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Popover
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) setValue(initial);
      }}
      trigger="click"
      content={
        <Space.Compact>
          <NameInput
            autoFocus
            aria-label={label}
            max={max}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            onPressEnter={() => void save()}
            style={{ width: 220 }}
          />
          <Button type="primary" loading={saving} onClick={() => void save()}>
            OK
          </Button>
        </Space.Compact>
      }
    >
      {children}
    </Popover>
  );
}

/**
 * One enterprise tag group as a card: its tags as chips, and — where the server's abilities allow —
 * rename, add, delete and drag to reorder.
 */
export function GroupCard(props: {
  group: TagGroupDto;
  nameMax: number;
  highlightTag?: string | null;
  onDelete: (target: DeleteTarget) => void;
  drag: { onDragStart: () => void; onDragOver: (e: React.DragEvent) => void; onDrop: () => void };
}) {
  const { group, nameMax, highlightTag, onDelete, drag } = props;
  const { t } = useTranslation('tags');
  const actions = useTagLibraryActions();
  const may = (permission: string) => group.abilities?.[permission] === true;
  return (
    <Card
      size="small"
      id={`group-${group.groupId}`}
      draggable={may('tagGroup.update')}
      onDragStart={drag.onDragStart}
      onDragOver={drag.onDragOver}
      onDrop={drag.onDrop}
      title={
        <Space>
          {may('tagGroup.update') && <HolderOutlined style={{ cursor: 'grab', color: '#999' }} aria-label={t('dragToReorder')} />}
          <Typography.Text strong>{group.name}</Typography.Text>
          <Typography.Text type="secondary">{t('tagCount', { count: group.tags.length })}</Typography.Text>
        </Space>
      }
      extra={
        <Space size={4}>
          {may('tagGroup.update') && (
            <NamePopover
              label={t('renameGroup')}
              initial={group.name}
              max={nameMax}
              onSave={(name) => actions.renameGroup.mutateAsync({ groupId: group.groupId, name })}
            >
              <Button size="small" type="text" icon={<EditOutlined />} aria-label={t('renameGroup')} />
            </NamePopover>
          )}
          {may('tagGroup.update') && <TagGroupScopeButton group={group} />}
          {may('tagGroup.delete') && (
            <Button
              size="small"
              type="text"
              danger
              icon={<DeleteOutlined />}
              aria-label={t('deleteGroup')}
              onClick={() => onDelete({ groupId: group.groupId, name: group.name })}
            />
          )}
        </Space>
      }
    >
      <Space size={[6, 8]} wrap>
        {group.tags.map((tag) => (
          <Chip
            key={tag.tagId}
            color={theme.enterpriseTag}
            style={{ fontSize: 14, padding: '2px 8px', outline: highlightTag === tag.tagId ? '2px solid #fa8c16' : undefined }}
          >
            {tag.name}
            {may('tag.update') && (
              <NamePopover label={t('renameTag')} initial={tag.name} max={nameMax} onSave={(name) => actions.renameTag.mutateAsync({ tagId: tag.tagId, name })}>
                <EditOutlined style={{ marginLeft: 6, cursor: 'pointer' }} aria-label={t('renameTagNamed', { name: tag.name })} />
              </NamePopover>
            )}
            {may('tag.delete') && (
              <DeleteOutlined
                style={{ marginLeft: 6, cursor: 'pointer' }}
                aria-label={t('deleteTagNamed', { name: tag.name })}
                onClick={() => onDelete({ tagId: tag.tagId, name: tag.name })}
              />
            )}
          </Chip>
        ))}
        {may('tag.create') && (
          <NamePopover label={t('newTag')} initial="" max={nameMax} onSave={(name) => actions.addTags.mutateAsync({ groupId: group.groupId, names: [name] })}>
            <Button size="small" type="dashed" icon={<PlusOutlined />}>
              {t('newTag')}
            </Button>
          </NamePopover>
        )}
      </Space>
    </Card>
  );
}
