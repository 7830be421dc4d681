import { useTranslation } from 'react-i18next';
import { useRuleGroupActions } from '../../api/rule-groups.js';
import { NameOrderModal } from '../../components/name-order-modal.js';

/** What is being renamed or reordered: a tag or a tag group of a rule group's library, as it is now. */
export type RuleTagTarget = { strategyId: number; kind: 'tag' | 'group'; id: string; name: string; order: number };

/**
 * Renames or reorders one tag (`PATCH /strategies/:id/tags/:tagId`) or one tag group
 * (`PATCH /strategies/:id/tag-groups/:groupId`) of a rule group's library, sending only what
 * changed; a refusal (a sibling's name, no right) shows the server's message.
 */
export function RuleTagModal({ target, onClose }: { target: RuleTagTarget | null; onClose: () => void }) {
  const { t } = useTranslation('rules');
  const actions = useRuleGroupActions();
  const isGroup = target?.kind === 'group';
  return (
    <NameOrderModal
      item={target && { id: target.id, name: target.name, order: target.order }}
      title={t(isGroup ? 'tags.editGroupTitle' : 'tags.editTitle', { name: target?.name ?? '' })}
      labels={{ name: t(isGroup ? 'tags.groupName' : 'tags.tagName'), order: t('tags.order'), orderHelp: t('tags.orderHelp'), saved: t('saved') }}
      saving={actions.updateTag.isPending || actions.updateTagGroup.isPending}
      save={(changes) =>
        isGroup
          ? actions.updateTagGroup.mutateAsync({ strategyId: target!.strategyId, groupId: target!.id, ...changes })
          : actions.updateTag.mutateAsync({ strategyId: target!.strategyId, tagId: target!.id, ...changes })
      }
      onClose={onClose}
    />
  );
}
