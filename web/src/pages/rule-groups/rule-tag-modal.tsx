import { App, Form, InputNumber, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { useRuleGroupActions, type StrategyTagGroupDto } from '../../api/rule-groups.js';
import { useSettings } from '../../api/tags.js';
import { NameInput } from '../../components/name-input.js';

/** The rule-group tag being edited and the rule group it belongs to. */
export type RuleTagTarget = { strategyId: number; tag: StrategyTagGroupDto['tags'][number] };

/**
 * Renames or reorders one tag of a rule group's library (`PATCH /strategies/:id/tags/:tagId`),
 * sending only what changed; a refusal (a sibling's name, no right) shows the server's message.
 */
export function RuleTagModal({ target, onClose }: { target: RuleTagTarget | null; onClose: () => void }) {
  const { t } = useTranslation('rules');
  const { message } = App.useApp();
  const actions = useRuleGroupActions();
  const nameMax = useSettings().data?.limits.nameMaxLength ?? 16;
  const [name, setName] = useState('');
  const [order, setOrder] = useState<number | null>(null);
  useEffect(() => {
    setName(target?.tag.name ?? '');
    setOrder(target?.tag.order ?? null);
  }, [target?.tag.tagId]); // eslint-disable-line react-hooks/exhaustive-deps
  const save = async () => {
    if (!target) return;
    const changes = { ...(name.trim() === target.tag.name ? {} : { name: name.trim() }), ...(order === null || order === target.tag.order ? {} : { order }) };
    try {
      if (Object.keys(changes).length > 0) await actions.updateTag.mutateAsync({ strategyId: target.strategyId, tagId: target.tag.tagId, ...changes });
      message.success(t('saved'));
      onClose();
    } catch (error) {
      message.error(errorText(error));
    }
  };
  return (
    <Modal
      open={target !== null}
      title={t('tags.editTitle', { name: target?.tag.name ?? '' })}
      onCancel={onClose}
      onOk={() => void save()}
      okButtonProps={{ disabled: !name.trim() }}
      confirmLoading={actions.updateTag.isPending}
      okText={t('common:save')}
      cancelText={t('common:cancel')}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('tags.tagName')} required>
          <NameInput max={nameMax} aria-label={t('tags.tagName')} value={name} onChange={(e) => setName(e.target.value)} />
        </Form.Item>
        <Form.Item label={t('tags.order')} tooltip={t('tags.orderHelp')}>
          <InputNumber aria-label={t('tags.order')} min={0} precision={0} value={order} onChange={setOrder} style={{ width: 160 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
