import { useTranslation } from 'react-i18next';
import { useRuleGroupActions, type StrategyTagGroupDto } from '../../api/rule-groups.js';
import { NameOrderModal } from '../../components/name-order-modal.js';

/** The rule-group tag being edited and the rule group it belongs to. */
export type RuleTagTarget = { strategyId: number; tag: StrategyTagGroupDto['tags'][number] };

/**
 * Renames or reorders one tag of a rule group's library (`PATCH /strategies/:id/tags/:tagId`),
 * sending only what changed; a refusal (a sibling's name, no right) shows the server's message.
 */
export function RuleTagModal({ target, onClose }: { target: RuleTagTarget | null; onClose: () => void }) {
  const { t } = useTranslation('rules');
  const actions = useRuleGroupActions();
  return (
    <NameOrderModal
      item={target && { id: target.tag.tagId, name: target.tag.name, order: target.tag.order }}
      title={t('tags.editTitle', { name: target?.tag.name ?? '' })}
      labels={{ name: t('tags.tagName'), order: t('tags.order'), orderHelp: t('tags.orderHelp'), saved: t('saved') }}
      saving={actions.updateTag.isPending}
      save={(changes) => actions.updateTag.mutateAsync({ strategyId: target!.strategyId, tagId: target!.tag.tagId, ...changes })}
      onClose={onClose}
    />
  );
}
