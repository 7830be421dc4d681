import { App, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import type { AudienceDto } from '../../api/smart-groups.js';
import { AudiencePicker, compactAudience } from './audience-picker.js';

/** One audience the modal edits: its key in the saved object and its label. */
export type ScopePart = { key: string; label: string; help?: string };

/**
 * A modal editing one or more audiences of a group's scope (who sees it, who may apply it) and
 * saving them together; a refusal shows the server's message and keeps the modal open.
 */
export function ScopeModal({
  open,
  title,
  parts,
  initial,
  onSave,
  onClose,
}: {
  open: boolean;
  title: string;
  parts: ScopePart[];
  initial: Record<string, AudienceDto | undefined>;
  onSave: (scope: Record<string, AudienceDto>) => Promise<unknown>;
  onClose: () => void;
}) {
  const { t } = useTranslation('smart');
  const { message } = App.useApp();
  const [value, setValue] = useState<Record<string, AudienceDto>>({});
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (open) setValue(Object.fromEntries(parts.map((p) => [p.key, initial[p.key] ?? {}])));
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps
  const save = async () => {
    setSaving(true);
    try {
      await onSave(Object.fromEntries(parts.map((p) => [p.key, compactAudience(value[p.key] ?? {})])));
      message.success(t('saved'));
      onClose();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      onOk={() => void save()}
      confirmLoading={saving}
      okText={t('common:save')}
      cancelText={t('common:cancel')}
      width={640}
      destroyOnHidden
    >
      {parts.every((p) => !p.help) && <Typography.Paragraph type="secondary">{t('scope.help')}</Typography.Paragraph>}
      {parts.map((part) => (
        <div key={part.key} style={{ marginBottom: 12 }}>
          <Typography.Title level={5}>{part.label}</Typography.Title>
          {part.help && <Typography.Paragraph type="secondary">{part.help}</Typography.Paragraph>}
          <AudiencePicker label={part.label} value={value[part.key] ?? {}} onChange={(a) => setValue((v) => ({ ...v, [part.key]: a }))} />
        </div>
      ))}
    </Modal>
  );
}
