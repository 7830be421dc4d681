import { App, Form, InputNumber, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { useSmartGroupActions, type SmartGroupDto } from '../../api/smart-groups.js';
import { useSettings } from '../../api/tags.js';
import { NameInput } from '../../components/name-input.js';

/**
 * Renames a smart group and changes its order (`PATCH /smart-groups/:groupId`), sending only what
 * changed; a refusal (a taken name, no right) shows the server's message and keeps the modal open.
 */
export function SmartGroupModal({ group, onClose }: { group: SmartGroupDto | null; onClose: () => void }) {
  const { t } = useTranslation('smart');
  const { message } = App.useApp();
  const actions = useSmartGroupActions();
  const nameMax = useSettings().data?.limits.nameMaxLength ?? 16;
  const [name, setName] = useState('');
  const [order, setOrder] = useState<number | null>(null);
  useEffect(() => {
    setName(group?.name ?? '');
    setOrder(group?.order ?? null);
  }, [group?.groupId]); // eslint-disable-line react-hooks/exhaustive-deps
  const save = async () => {
    if (!group) return;
    const changes = { ...(name.trim() === group.name ? {} : { name: name.trim() }), ...(order === null || order === group.order ? {} : { order }) };
    try {
      if (Object.keys(changes).length > 0) await actions.updateGroup.mutateAsync({ groupId: group.groupId, ...changes });
      message.success(t('saved'));
      onClose();
    } catch (error) {
      message.error(errorText(error));
    }
  };
  return (
    <Modal
      open={group !== null}
      title={t('groupEdit.title', { name: group?.name ?? '' })}
      onCancel={onClose}
      onOk={() => void save()}
      okButtonProps={{ disabled: !name.trim() }}
      confirmLoading={actions.updateGroup.isPending}
      okText={t('common:save')}
      cancelText={t('common:cancel')}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('editor.groupName')} required>
          <NameInput max={nameMax} aria-label={t('editor.groupName')} value={name} onChange={(e) => setName(e.target.value)} />
        </Form.Item>
        <Form.Item label={t('editor.order')} tooltip={t('editor.orderHelp')}>
          <InputNumber aria-label={t('editor.order')} min={0} precision={0} value={order} onChange={setOrder} style={{ width: 160 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
