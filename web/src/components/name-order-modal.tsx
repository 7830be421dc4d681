import { App, Form, InputNumber, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/client.js';
import { useSettings } from '../api/tags.js';
import { NameInput } from './name-input.js';

/** What a rename-and-reorder edits: its id (a new id resets the fields), name and order. */
export type Named = { id: string; name: string; order: number };

/** The fields of a rename-and-reorder that changed (left out = unchanged). */
export type NameOrderChanges = { name?: string; order?: number };

/**
 * Renames something and changes its order: the name against the corp's limit, only what changed
 * sent through `save`; a refusal shows the server's message and keeps the modal open.
 */
export function NameOrderModal(props: {
  item: Named | null;
  title: string;
  labels: { name: string; order: string; orderHelp: string; saved: string };
  saving: boolean;
  save: (changes: NameOrderChanges) => Promise<unknown>;
  onClose: () => void;
}) {
  const { item, labels } = props;
  const { t } = useTranslation();
  const { message } = App.useApp();
  const nameMax = useSettings().data?.limits.nameMaxLength ?? 16;
  const [name, setName] = useState('');
  const [order, setOrder] = useState<number | null>(null);
  useEffect(() => {
    setName(item?.name ?? '');
    setOrder(item?.order ?? null);
  }, [item?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  const save = async () => {
    if (!item) return;
    const changes = { ...(name.trim() === item.name ? {} : { name: name.trim() }), ...(order === null || order === item.order ? {} : { order }) };
    try {
      if (Object.keys(changes).length > 0) await props.save(changes);
      message.success(labels.saved);
      props.onClose();
    } catch (error) {
      message.error(errorText(error));
    }
  };
  return (
    <Modal
      open={item !== null}
      title={props.title}
      onCancel={props.onClose}
      onOk={() => void save()}
      okButtonProps={{ disabled: !name.trim() }}
      confirmLoading={props.saving}
      okText={t('common:save')}
      cancelText={t('common:cancel')}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={labels.name} required>
          <NameInput max={nameMax} aria-label={labels.name} value={name} onChange={(e) => setName(e.target.value)} />
        </Form.Item>
        <Form.Item label={labels.order} tooltip={labels.orderHelp}>
          <InputNumber aria-label={labels.order} min={0} precision={0} value={order} onChange={setOrder} style={{ width: 160 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
