import { useTranslation } from 'react-i18next';
import { type SmartGroupDto, useSmartGroupActions } from '../../api/smart-groups.js';
import { NameOrderModal } from '../../components/name-order-modal.js';

/**
 * Renames a smart group and changes its order (`PATCH /smart-groups/:groupId`), sending only what
 * changed; a refusal (a taken name, no right) shows the server's message and keeps the modal open.
 */
export function SmartGroupModal({ group, onClose }: { group: SmartGroupDto | null; onClose: () => void }) {
  const { t } = useTranslation('smart');
  const actions = useSmartGroupActions();
  return (
    <NameOrderModal
      item={group && { id: group.groupId, name: group.name, order: group.order }}
      title={t('groupEdit.title', { name: group?.name ?? '' })}
      labels={{ name: t('editor.groupName'), order: t('editor.order'), orderHelp: t('editor.orderHelp'), saved: t('saved') }}
      saving={actions.updateGroup.isPending}
      save={(changes) => actions.updateGroup.mutateAsync({ groupId: group!.groupId, ...changes })}
      onClose={onClose}
    />
  );
}
