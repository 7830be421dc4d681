import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Result, Space, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError, errorText } from '../../api/client.js';
import { useBatch, useCustomerList, useUndo } from '../../api/customer-list.js';
import type { MeDto } from '../../api/session.js';
import { can } from '../../api/session.js';
import { useDebounced } from '../../components/use-debounced.js';
import { type BatchAction, type BatchChoice, BatchModal } from './batch-modal.js';
import { BatchProgress, type JobOutcome, UndoButton } from './batch-progress.js';
import { batchSelection } from './batch-selection.js';
import { BatchToolbar } from './batch-toolbar.js';
import { CustomerDrawer } from './customer-drawer.js';
import { CustomerTable } from './customer-table.js';
import { FilterBar, type Filters } from './filter-bar.js';
import { audienceText } from './filter-text.js';
import { emptySelection, isSelected, type Selection, selectedCount } from './selection.js';
import { TransferModal } from './transfer-modal.js';
import type { TransferCandidate } from './transfer-plan.js';

/** A job being watched (the batch or its undo); a finished one stays on screen at its final state. */
type Job = { operationId: string; kind: 'batch' | 'undo'; finished: boolean };

/**
 * 客户列表: filter by name, tags or audience text; select with click, shift-click, the keyboard or
 * "all N matching"; run a batch tag / untag / move as a job with a live progress bar and an undo
 * toast, or hand the selected customers over to another employee; open a customer to see each
 * tag's origin and edit the notes. Batch controls follow the server's abilities.
 */
export default function CustomersPage({ me }: { me: MeDto }) {
  const { t } = useTranslation('customers');
  const { message, notification } = App.useApp();
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  // `?text=` opens the list filtered by audience text (人群 and 数据统计 link here so).
  const [filters, setFilters] = useState<Filters>(() => ({ q: '', tags: [], text: params.get('text') ?? '' }));
  const q = useDebounced(filters.q.trim(), 300);
  const text = audienceText(filters.tags, filters.text);
  const list = useCustomerList(text, q);
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [action, setAction] = useState<BatchAction | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const batch = useBatch();
  const undo = useUndo();
  const mayBatch = can(me, 'tag.apply') || can(me, 'tag.remove') || can(me, 'personalTag.manage');
  const maySelect = mayBatch || can(me, 'customer.transfer');
  const [transferFor, setTransferFor] = useState<TransferCandidate[] | null>(null);
  const [resolving, setResolving] = useState(false);
  const openId = params.get('customer');
  const [height, setHeight] = useState(() => Math.max(320, window.innerHeight - 380));
  useEffect(() => {
    const onResize = () => setHeight(Math.max(320, window.innerHeight - 380));
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);

  // A new filter is a new set of customers: what was selected no longer applies.
  useEffect(() => setSelection(emptySelection), [text, q]);

  const rows = useMemo(() => (list.data?.pages ?? []).flatMap((p) => p.customers), [list.data]);
  const first = list.data?.pages[0];
  const matching = first?.count ?? 0;
  const textError =
    list.isError && list.error instanceof ApiError && list.error.status >= 400 && list.error.status < 500 && text ? errorText(list.error) : null;

  const open = useCallback(
    (id: string | null) =>
      setParams((p) => {
        const next = new URLSearchParams(p);
        if (id) next.set('customer', id);
        else next.delete('customer');
        return next;
      }),
    [setParams],
  );

  const runUndo = useCallback(
    (operationId: string) => {
      notification.destroy(operationId);
      undo.mutate(operationId, {
        onSuccess: (result) => {
          setJob({ operationId: result.operation.operationId, kind: 'undo', finished: false });
          if (result.conflictCount > 0) message.warning(t('batch.undoConflicts', { count: result.conflictCount }));
        },
        onError: (error) => message.error(errorText(error)),
      });
    },
    [message, notification, t, undo],
  );

  const finished = useCallback(
    (outcome: JobOutcome) => {
      void client.invalidateQueries({ queryKey: ['customer-list'] });
      void client.invalidateQueries({ queryKey: ['customer'] });
      const kind = job?.kind ?? 'batch';
      setJob((current) => (current?.operationId === outcome.operationId ? { ...current, finished: true } : current));
      if (outcome.status === 'failed') return void message.error(t('batch.failed', { message: outcome.error ?? '' }));
      if (outcome.status === 'cancelled') return void message.warning(t('batch.cancelled'));
      if (kind === 'undo') return void message.success(t('batch.undone', { added: outcome.added, removed: outcome.removed }));
      notification.success({
        key: outcome.operationId,
        title: t('batch.done', { added: outcome.added, removed: outcome.removed }),
        duration: 15,
        actions: <UndoButton busy={undo.isPending} onUndo={() => runUndo(outcome.operationId)} />,
      });
    },
    [client, job?.kind, message, notification, runUndo, t, undo.isPending],
  );

  const confirm = (choice: BatchChoice) => {
    const selectionBody = batchSelection(selection, text);
    const body =
      choice.action === 'move'
        ? { action: choice.action, move: { groupId: choice.groupId, tagId: choice.tagId }, selection: selectionBody }
        : { action: choice.action, tagIds: choice.tagIds, selection: selectionBody };
    batch.mutate(body, {
      onSuccess: (operation) => {
        setAction(null);
        setJob({ operationId: operation.operationId, kind: 'batch', finished: false });
      },
      onError: (error) => message.error(errorText(error)),
    });
  };

  /** Every matching customer, loading the pages not loaded yet (1,000 a page). */
  const loadAllRows = async () => {
    let result = await list.fetchNextPage();
    while (result.hasNextPage && !result.isError) result = await list.fetchNextPage();
    return (result.data?.pages ?? []).flatMap((p) => p.customers);
  };

  // With a name search, "all matching" cannot be an audience text: load every page and pick the ids.
  const pickAllMatching = async (next: Selection) => {
    if (next.mode !== 'audience' || !q) return setSelection(next);
    const ids = (await loadAllRows()).map((c) => c.externalUserid);
    setSelection({ mode: 'ids', ids: new Set(ids), anchor: null });
  };

  // A hand-over names its customers one by one: "all matching" is resolved to the customers first.
  const startTransfer = async () => {
    setResolving(true);
    try {
      const all = selection.mode === 'audience' ? await loadAllRows() : rows;
      setTransferFor(
        all.filter((c) => isSelected(selection, c.externalUserid)).map((c) => ({ externalUserid: c.externalUserid, name: c.name, followers: c.followers })),
      );
    } finally {
      setResolving(false);
    }
  };

  const nearEnd = () => {
    if (list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      <FilterBar me={me} filters={filters} onChange={setFilters} textError={textError} />
      {first && (
        <Typography.Text type="secondary" data-testid="matching-count">
          {first.text ? `${t('filter.current', { text: first.text })} · ` : ''}
          {first.count === first.total ? t('count', { count: first.count }) : t('countOf', { count: first.count, total: first.total })}
          {rows.length < first.count ? ` · ${t('loaded', { loaded: rows.length })}` : ''}
        </Typography.Text>
      )}
      {list.isError && !textError && (
        <Result
          status="error"
          title={t('common:loadFailed')}
          subTitle={errorText(list.error)}
          extra={<Button onClick={() => void list.refetch()}>{t('common:retry')}</Button>}
        />
      )}
      {maySelect && (
        <BatchToolbar
          me={me}
          selection={selection}
          matching={matching}
          loaded={rows.length}
          busy={(job !== null && !job.finished) || batch.isPending || resolving}
          onSelection={(next) => void pickAllMatching(next)}
          onAction={setAction}
          onTransfer={() => void startTransfer()}
        />
      )}
      {job && (
        <BatchProgress
          key={job.operationId}
          operationId={job.operationId}
          label={job.kind === 'undo' ? (job.finished ? t('batch.undoLabel') : t('batch.undoing')) : t('batch.progressLabel')}
          onFinished={finished}
        />
      )}
      <CustomerTable
        rows={textError ? [] : rows}
        loading={list.isPending || (list.isFetching && !list.isFetchingNextPage)}
        selectable={maySelect}
        selection={selection}
        onSelection={(next) => void pickAllMatching(next)}
        onOpen={open}
        onNearEnd={nearEnd}
        height={height}
        emptyText={text || q ? t('empty') : t('emptyAll')}
      />
      <BatchModal
        me={me}
        action={action}
        count={selectedCount(selection, matching)}
        busy={batch.isPending}
        onCancel={() => setAction(null)}
        onConfirm={confirm}
      />
      <TransferModal candidates={transferFor} onClose={() => setTransferFor(null)} />
      <CustomerDrawer externalUserid={openId} onClose={() => open(null)} />
    </Space>
  );
}
