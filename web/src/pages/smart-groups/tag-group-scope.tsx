import { TeamOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSaveTagGroupScope } from '../../api/smart-groups.js';
import type { TagGroupDto } from '../../api/tags.js';
import { useAudienceSummary } from './audience-picker.js';
import { ScopeModal } from './scope-modal.js';

/**
 * 可见范围 of an enterprise tag group, from its card in the tag library: the departments, regions
 * and members who see the group and those who may apply its tags. The server enforces both.
 */
export function TagGroupScopeButton({ group }: { group: TagGroupDto }) {
  const { t } = useTranslation('smart');
  const [open, setOpen] = useState(false);
  const save = useSaveTagGroupScope();
  const summary = useAudienceSummary();
  const label = t('tagGroupScope.open', { name: group.name });
  return (
    <>
      <Tooltip title={`${t('tagGroupScope.view')}: ${summary(group.scope.view)} · ${t('tagGroupScope.apply')}: ${summary(group.scope.apply)}`}>
        <Button size="small" type="text" icon={<TeamOutlined />} aria-label={label} onClick={() => setOpen(true)} />
      </Tooltip>
      <ScopeModal
        open={open}
        title={t('tagGroupScope.title', { name: group.name })}
        parts={[
          { key: 'view', label: t('tagGroupScope.view'), help: t('tagGroupScope.viewHelp') },
          { key: 'apply', label: t('tagGroupScope.apply'), help: t('tagGroupScope.applyHelp') },
        ]}
        initial={{ view: group.scope.view, apply: group.scope.apply }}
        onSave={(scope) => save.mutateAsync({ groupId: group.groupId, scope })}
        onClose={() => setOpen(false)}
      />
    </>
  );
}
