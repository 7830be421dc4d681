import { App, Button, Popconfirm, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { type OperationDto, type UndoResponseDto, useOperationActions } from '../../api/operations.js';

/**
 * Undo, redo and cancel for one operation, each shown only when the operation's abilities allow
 * it and each asking for confirmation; a refusal shows the server's message.
 */
export function OperationActions({ operation, onReversed }: { operation: OperationDto; onReversed: (result: UndoResponseDto) => void }) {
  const { t } = useTranslation('operations');
  const { message } = App.useApp();
  const actions = useOperationActions();
  const id = operation.operationId;
  const reversed = (result: UndoResponseDto) => {
    message.success(
      t('actions.reversed', {
        kind: t(`kind.${result.operation.kind}`),
        added: result.operation.result.added,
        removed: result.operation.result.removed,
        conflicts: result.conflictCount,
      }),
    );
    onReversed(result);
  };
  const failed = (error: unknown) => message.error(errorText(error));
  const { undo, redo, cancel } = operation.abilities;
  if (!undo && !redo && !cancel) return null;
  return (
    <Space wrap>
      {undo && (
        <Popconfirm
          title={t('actions.undoConfirm')}
          description={t('actions.undoHint')}
          okText={t('actions.undo')}
          cancelText={t('common:cancel')}
          onConfirm={() => actions.undo.mutateAsync(id).then(reversed, failed)}
        >
          <Button loading={actions.undo.isPending}>{t('actions.undo')}</Button>
        </Popconfirm>
      )}
      {redo && (
        <Popconfirm
          title={t('actions.redoConfirm')}
          okText={t('actions.redo')}
          cancelText={t('common:cancel')}
          onConfirm={() => actions.redo.mutateAsync(id).then(reversed, failed)}
        >
          <Button loading={actions.redo.isPending}>{t('actions.redo')}</Button>
        </Popconfirm>
      )}
      {cancel && (
        <Popconfirm
          title={t('actions.cancelConfirm')}
          okText={t('actions.cancel')}
          cancelText={t('common:cancel')}
          onConfirm={() => actions.cancel.mutateAsync(id).then(() => message.success(t('actions.cancelRequested')), failed)}
        >
          <Button danger loading={actions.cancel.isPending}>
            {t('actions.cancel')}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}
