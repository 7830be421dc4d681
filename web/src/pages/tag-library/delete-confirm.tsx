import { Alert, List, Modal, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { useDependents } from '../../api/tags.js';

/** What is about to be deleted, with its name for the dialog. */
export type DeleteTarget = ({ tagId: string } | { groupId: string }) & { name: string };

/**
 * The confirmation before a deletion: what depends on it (customers who lose it, smart-tag rules
 * and saved audiences that name it), read from the server, and that it can be restored for 30 days.
 */
export function DeleteConfirm({
  target,
  onConfirm,
  onCancel,
  busy,
}: {
  target: DeleteTarget | null;
  onConfirm: () => void;
  onCancel: () => void;
  busy: boolean;
}) {
  const { t } = useTranslation('tags');
  const dependents = useDependents(target ? ('tagId' in target ? { tagId: target.tagId } : { groupId: target.groupId }) : null);
  const isGroup = target !== null && 'groupId' in target;
  return (
    <Modal
      open={target !== null}
      title={t(isGroup ? 'delete.groupTitle' : 'delete.tagTitle', { name: target?.name })}
      okText={t('delete.ok')}
      okButtonProps={{ danger: true, disabled: !dependents.isSuccess, loading: busy }}
      cancelText={t('common:cancel')}
      onOk={onConfirm}
      onCancel={onCancel}
    >
      {dependents.isPending && <Spin />}
      {dependents.isError && <Alert type="error" showIcon message={errorText(dependents.error)} />}
      {dependents.data && (
        <>
          <Typography.Paragraph>{t('delete.customers', { customers: dependents.data.customers, marks: dependents.data.marks })}</Typography.Paragraph>
          {dependents.data.smartTags.length > 0 && (
            <List
              size="small"
              header={t('delete.smartTags')}
              dataSource={dependents.data.smartTags}
              renderItem={(s) => <List.Item>{`${s.groupName} / ${s.name}`}</List.Item>}
            />
          )}
          {dependents.data.audiences.length + dependents.data.otherPrivateAudiences > 0 && (
            <List
              size="small"
              header={t('delete.audiences')}
              dataSource={[
                ...dependents.data.audiences.map((a) => a.name),
                ...(dependents.data.otherPrivateAudiences > 0 ? [t('delete.privateAudiences', { count: dependents.data.otherPrivateAudiences })] : []),
              ]}
              renderItem={(name) => <List.Item>{name}</List.Item>}
            />
          )}
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
            {t('delete.restorable')}
          </Typography.Paragraph>
        </>
      )}
    </Modal>
  );
}
