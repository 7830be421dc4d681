import { Alert, Button, Form, Input, Modal, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useEmployees } from '../../api/admin.js';
import { errorText } from '../../api/client.js';
import { type TransferItemDto, type TransferOutcome, useTransferCustomers } from '../../api/customer-transfer.js';
import { handoverChoices, type Person, planTransfer, type TransferCandidate, takeoverChoices, tallyTransfer } from './transfer-plan.js';

const reasonMax = 200;

/** A person as a picker option: the name, the userid, and 已离职 for someone who has left. */
function usePersonLabel() {
  const { t } = useTranslation('customers');
  return (p: Person, extra?: string) => [p.name, `(${p.userid})`, p.status === 'left' ? t('transfer.left') : '', extra ?? ''].filter(Boolean).join(' ');
}

/** The handover or takeover picker, searchable by name or userid, labelled as its form label. */
function PersonSelect({
  which,
  ...props
}: {
  which: 'handover' | 'takeover';
  loading: boolean;
  value: string | undefined;
  onChange: (userid: string) => void;
  options: { value: string; label: string }[];
}) {
  const { t } = useTranslation('customers');
  return (
    <Select
      id={`transfer-${which}`}
      aria-label={t(`transfer.${which}`)}
      placeholder={t(`transfer.pick.${which}`)}
      showSearch={{ optionFilterProp: 'label' }}
      {...props}
    />
  );
}

/** One customer's outcome as a coloured word with the reason when it did not move. */
function OutcomeCell({ item, handoverName }: { item: TransferItemDto; handoverName: string }) {
  const { t } = useTranslation('customers');
  if (item.ok) return <Tag color={item.merged ? 'blue' : 'green'}>{item.merged ? t('transfer.outcome.merged') : t('transfer.outcome.moved')}</Tag>;
  const why = item.code
    ? t(`transfer.why.${item.code}`, { defaultValue: item.message ?? item.code, handover: handoverName })
    : (item.message ?? String(item.errcode));
  return (
    <Space size={4} wrap>
      <Tag color="red">{t('transfer.outcome.failed')}</Tag>
      <Typography.Text type="secondary">{why}</Typography.Text>
    </Space>
  );
}

/** The finished hand-over: how many moved to whom, what was skipped or refused, and each customer's outcome. */
function TransferReport({
  outcome,
  names,
  handoverName,
  takeoverName,
  skipped,
}: {
  outcome: TransferOutcome;
  names: Map<string, string>;
  handoverName: string;
  takeoverName: string;
  skipped: number;
}) {
  const { t } = useTranslation('customers');
  const tally = tallyTransfer(outcome.results);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="transfer-report">
      <Alert
        type={tally.failed > 0 || outcome.refused ? 'warning' : 'success'}
        showIcon
        title={t('transfer.moved', { count: tally.moved, takeover: takeoverName })}
        description={tally.merged > 0 ? t('transfer.mergedNote', { count: tally.merged }) : undefined}
      />
      {tally.failed > 0 && <Typography.Text type="danger">{t('transfer.failedCount', { count: tally.failed })}</Typography.Text>}
      {skipped > 0 && <Typography.Text type="secondary">{t('transfer.skipped', { count: skipped, handover: handoverName })}</Typography.Text>}
      {outcome.refused && <Alert type="error" showIcon title={t('transfer.refusedPartWay', { count: outcome.notSent })} description={outcome.refused} />}
      <Table<TransferItemDto>
        size="small"
        rowKey="externalUserid"
        dataSource={outcome.results}
        pagination={outcome.results.length > 8 ? { pageSize: 8, size: 'small', showSizeChanger: false } : false}
        columns={[
          { key: 'customer', title: t('column.name'), ellipsis: true, render: (_, item) => names.get(item.externalUserid) || item.externalUserid },
          { key: 'outcome', title: t('transfer.outcome.title'), render: (_, item) => <OutcomeCell item={item} handoverName={handoverName} /> },
        ]}
      />
    </Space>
  );
}

/**
 * 转接客户 (在职继承 / 离职继承): pick the employee handing over (who may have left) and the active
 * one taking over, with an optional reason; the picked customers that the handover follows go in
 * calls of 100 with a progress bar, then each customer's outcome is listed (moved, merged, or why
 * not). From the drawer the handover is fixed to the follower the user chose.
 */
export function TransferModal({ candidates, fixedHandover, onClose }: { candidates: TransferCandidate[] | null; fixedHandover?: string; onClose: () => void }) {
  const { t } = useTranslation('customers');
  const open = candidates !== null;
  const employees = useEmployees(null, open);
  const transfer = useTransferCustomers();
  const label = usePersonLabel();
  const [handover, setHandover] = useState<string | undefined>(fixedHandover);
  const [takeover, setTakeover] = useState<string | undefined>();
  const [reason, setReason] = useState('');
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [outcome, setOutcome] = useState<TransferOutcome | null>(null);
  const people = useMemo<Person[]>(() => (employees.data ?? []).map((e) => ({ userid: e.userid, name: e.name, status: e.status })), [employees.data]);
  const chosenHandover = fixedHandover ?? handover;
  const plan = planTransfer(candidates ?? [], chosenHandover);
  const nameOf = (userid: string | undefined) =>
    people.find((p) => p.userid === userid)?.name ?? candidates?.flatMap((c) => c.followers).find((f) => f.userid === userid)?.name ?? userid ?? '';
  const names = useMemo(() => new Map((candidates ?? []).map((c) => [c.externalUserid, c.name])), [candidates]);
  const ready = chosenHandover !== undefined && takeover !== undefined && plan.send.length > 0 && !transfer.isPending;

  const close = () => {
    if (transfer.isPending) return;
    setHandover(fixedHandover);
    setTakeover(undefined);
    setReason('');
    setProgress(null);
    setOutcome(null);
    transfer.reset();
    onClose();
  };

  const run = () => {
    if (!ready) return;
    setProgress({ done: 0, total: plan.send.length });
    transfer.mutate(
      {
        request: {
          handoverUserid: chosenHandover!,
          takeoverUserid: takeover!,
          externalUserids: plan.send,
          ...(reason.trim() ? { reason: reason.trim() } : {}),
        },
        onProgress: (done, total) => setProgress({ done, total }),
      },
      { onSuccess: setOutcome, onSettled: () => setProgress(null) },
    );
  };

  const footer = outcome
    ? [
        <Button key="done" type="primary" onClick={close}>
          {t('transfer.close')}
        </Button>,
      ]
    : [
        <Button key="cancel" onClick={close} disabled={transfer.isPending}>
          {t('common:cancel')}
        </Button>,
        <Button key="ok" type="primary" onClick={run} disabled={!ready} loading={transfer.isPending}>
          {t('transfer.confirm', { count: plan.send.length })}
        </Button>,
      ];

  return (
    <Modal
      open={open}
      title={t('transfer.title')}
      onCancel={close}
      footer={footer}
      maskClosable={!transfer.isPending}
      closable={!transfer.isPending}
      destroyOnHidden
      width={600}
    >
      {outcome ? (
        <TransferReport outcome={outcome} names={names} handoverName={nameOf(chosenHandover)} takeoverName={nameOf(takeover)} skipped={plan.skipped} />
      ) : (
        <Form layout="vertical" onFinish={run}>
          <Typography.Paragraph type="secondary">{t('transfer.intro', { count: candidates?.length ?? 0 })}</Typography.Paragraph>
          {employees.isError && (
            <Alert type="error" showIcon title={t('transfer.employeesFailed')} description={errorText(employees.error)} style={{ marginBottom: 16 }} />
          )}
          <Form.Item label={t('transfer.handover')} htmlFor="transfer-handover" extra={t('transfer.handoverHelp')}>
            {fixedHandover ? (
              <Input
                id="transfer-handover"
                value={label({
                  userid: fixedHandover,
                  name: nameOf(fixedHandover),
                  status: people.find((p) => p.userid === fixedHandover)?.status ?? 'active',
                })}
                readOnly
              />
            ) : (
              <PersonSelect
                which="handover"
                loading={employees.isPending}
                value={handover}
                onChange={(v) => {
                  setHandover(v);
                  if (v === takeover) setTakeover(undefined);
                }}
                options={handoverChoices(candidates ?? [], people).map((p) => ({
                  value: p.userid,
                  label: label(p, p.follows > 0 ? t('transfer.follows', { count: p.follows }) : undefined),
                }))}
              />
            )}
          </Form.Item>
          <Form.Item label={t('transfer.takeover')} htmlFor="transfer-takeover">
            <PersonSelect
              which="takeover"
              loading={employees.isPending}
              value={takeover}
              onChange={setTakeover}
              options={takeoverChoices(people, chosenHandover).map((p) => ({ value: p.userid, label: label(p) }))}
            />
          </Form.Item>
          <Form.Item label={t('transfer.reason')} htmlFor="transfer-reason">
            <Input.TextArea
              id="transfer-reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={reasonMax}
              showCount
              autoSize={{ minRows: 2, maxRows: 4 }}
              placeholder={t('transfer.reasonPlaceholder')}
            />
          </Form.Item>
          {chosenHandover && (
            <Alert
              type={plan.send.length === 0 ? 'warning' : 'info'}
              showIcon
              title={
                plan.send.length === 0
                  ? t('transfer.nothingToSend', { handover: nameOf(chosenHandover) })
                  : takeover
                    ? t('transfer.plan', { count: plan.send.length, handover: nameOf(chosenHandover), takeover: nameOf(takeover) })
                    : t('transfer.planNoTakeover', { count: plan.send.length, handover: nameOf(chosenHandover) })
              }
              description={
                plan.skipped > 0 && plan.send.length > 0 ? t('transfer.skipped', { count: plan.skipped, handover: nameOf(chosenHandover) }) : undefined
              }
            />
          )}
          {progress && (
            <Progress
              percent={Math.round((progress.done / Math.max(1, progress.total)) * 100)}
              format={() => t('transfer.progress', { done: progress.done, total: progress.total })}
              aria-label={t('transfer.progressLabel')}
              style={{ marginTop: 16 }}
            />
          )}
          {transfer.isError && <Alert type="error" showIcon title={t('transfer.refused')} description={errorText(transfer.error)} style={{ marginTop: 16 }} />}
        </Form>
      )}
    </Modal>
  );
}
