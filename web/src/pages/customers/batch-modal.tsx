import { Alert, Form, Modal, Select, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, type MeDto } from '../../api/session.js';
import { usePersonalTags, useTagGroups } from '../../api/tags.js';
import { tagChoices } from './tag-options.js';

/** One of the three batch actions. */
export type BatchAction = 'tag' | 'untag' | 'move';

/** What the user chose in the modal: tags for tag / untag, or a group and its tag for move. */
export type BatchChoice = { action: 'tag' | 'untag'; tagIds: string[] } | { action: 'move'; groupId: string; tagId: string };

/**
 * Picks the tags of a batch and confirms it with the number of customers it will touch. Only the
 * groups whose abilities allow the action are offered (the server checks again).
 */
export function BatchModal({
  me,
  action,
  count,
  busy,
  onCancel,
  onConfirm,
}: {
  me: MeDto;
  action: BatchAction | null;
  count: number;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (choice: BatchChoice) => void;
}) {
  const { t } = useTranslation('customers');
  const groups = useTagGroups();
  const personal = usePersonalTags(can(me, 'personalTag.manage'));
  const [tagIds, setTagIds] = useState<string[]>([]);
  const [groupId, setGroupId] = useState<string | undefined>();
  const [moveTag, setMoveTag] = useState<string | undefined>();
  const need = action === 'untag' ? 'tag.remove' : 'tag.apply';
  const choices = useMemo(
    () => tagChoices(groups.data ?? [], action === 'move' ? [] : (personal.data ?? []), { personal: t('filter.personal') }, need),
    [groups.data, personal.data, action, need, t],
  );
  const movable = (groups.data ?? []).filter((g) => g.abilities?.['tag.apply'] === true && g.abilities?.['tag.remove'] === true && g.tags.length > 0);
  const group = movable.find((g) => g.groupId === groupId);
  const ready = action === 'move' ? groupId !== undefined && moveTag !== undefined : tagIds.length > 0;
  const reset = () => {
    setTagIds([]);
    setGroupId(undefined);
    setMoveTag(undefined);
  };
  const title = action ? t(`batch.${action}`) : '';
  const question = action === 'tag' ? 'batch.confirmTag' : action === 'untag' ? 'batch.confirmUntag' : 'batch.confirmMove';

  return (
    <Modal
      open={action !== null}
      title={title}
      okText={t('batch.ok')}
      okButtonProps={{ disabled: !ready, loading: busy }}
      onCancel={() => {
        reset();
        onCancel();
      }}
      onOk={() => {
        if (!action || !ready) return;
        onConfirm(action === 'move' ? { action, groupId: groupId!, tagId: moveTag! } : { action, tagIds });
        reset();
      }}
      destroyOnHidden
    >
      <Form layout="vertical">
        {action === 'move' ? (
          <>
            <Typography.Paragraph type="secondary">{t('batch.moveHelp')}</Typography.Paragraph>
            <Form.Item label={t('batch.pickGroup')} htmlFor="batch-group">
              <Select
                id="batch-group"
                aria-label={t('batch.pickGroup')}
                value={groupId}
                onChange={(v: string) => {
                  setGroupId(v);
                  setMoveTag(undefined);
                }}
                options={movable.map((g) => ({ label: g.name, value: g.groupId }))}
              />
            </Form.Item>
            <Form.Item label={t('batch.pickTag')} htmlFor="batch-move-tag">
              <Select
                id="batch-move-tag"
                aria-label={t('batch.pickTag')}
                value={moveTag}
                onChange={(v: string) => setMoveTag(v)}
                disabled={!group}
                options={(group?.tags ?? []).map((tag) => ({ label: tag.name, value: tag.tagId }))}
              />
            </Form.Item>
          </>
        ) : (
          <Form.Item label={t('batch.pickTags')} htmlFor="batch-tags">
            <Select
              id="batch-tags"
              aria-label={t('batch.pickTags')}
              mode="multiple"
              showSearch={{ optionFilterProp: 'label' }}
              value={tagIds}
              onChange={(v: string[]) => setTagIds(v)}
              options={choices.options}
            />
          </Form.Item>
        )}
      </Form>
      <Alert type="warning" showIcon title={t(question, { count })} />
    </Modal>
  );
}
