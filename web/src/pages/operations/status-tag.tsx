import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OperationDto } from '../../api/operations.js';

const colours = { queued: 'default', running: 'processing', succeeded: 'success', failed: 'error', cancelled: 'warning' } as const;

/** An operation's status as a coloured label in the user's language. */
export function StatusTag({ status }: { status: OperationDto['status'] }) {
  const { t } = useTranslation('operations');
  return <Tag color={colours[status]}>{t(`status.${status}`)}</Tag>;
}
