import { Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { can, type MeDto } from '../../api/session.js';
import type { BatchAction } from './batch-modal.js';
import { emptySelection, type Selection, selectAllMatching, selectedCount } from './selection.js';

/**
 * Above the table: how many customers are selected, "select all N matching" (the batch then acts
 * on the filter itself), clear, and the batch actions and the hand-over (转接客户) the user's
 * abilities allow.
 */
export function BatchToolbar({
  me,
  selection,
  matching,
  loaded,
  busy,
  onSelection,
  onAction,
  onTransfer,
}: {
  me: MeDto;
  selection: Selection;
  matching: number;
  loaded: number;
  busy: boolean;
  onSelection: (next: Selection) => void;
  onAction: (action: BatchAction) => void;
  onTransfer: () => void;
}) {
  const { t } = useTranslation('customers');
  const count = selectedCount(selection, matching);
  const mayTag = can(me, 'tag.apply') || can(me, 'personalTag.manage');
  const mayUntag = can(me, 'tag.remove') || can(me, 'personalTag.manage');
  const mayMove = can(me, 'tag.apply') && can(me, 'tag.remove');
  const mayTransfer = can(me, 'customer.transfer');
  return (
    <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
      <Space wrap>
        <Typography.Text strong aria-live="polite" data-testid="selected-count">
          {selection.mode === 'audience' ? t('allSelected', { count }) : t('selected', { count })}
        </Typography.Text>
        {selection.mode === 'ids' && matching > count && (count > 0 || loaded > 0) && (
          <Button type="link" size="small" onClick={() => onSelection(selectAllMatching())}>
            {t('selectAll', { count: matching })}
          </Button>
        )}
        {count > 0 && (
          <Button type="link" size="small" onClick={() => onSelection(emptySelection)}>
            {t('clearSelection')}
          </Button>
        )}
        {count === 0 && <Typography.Text type="secondary">{t('shiftHint')}</Typography.Text>}
      </Space>
      <Space wrap>
        {mayTag && (
          <Button type="primary" disabled={count === 0 || busy} onClick={() => onAction('tag')}>
            {t('batch.tag')}
          </Button>
        )}
        {mayUntag && (
          <Button disabled={count === 0 || busy} onClick={() => onAction('untag')}>
            {t('batch.untag')}
          </Button>
        )}
        {mayMove && (
          <Button disabled={count === 0 || busy} onClick={() => onAction('move')}>
            {t('batch.move')}
          </Button>
        )}
        {mayTransfer && (
          <Button disabled={count === 0 || busy} onClick={onTransfer}>
            {t('transfer.action')}
          </Button>
        )}
      </Space>
    </Space>
  );
}
