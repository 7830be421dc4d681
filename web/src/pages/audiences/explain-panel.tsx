import { Alert, Form, Space, Spin, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { genderCodes } from '../../../../contracts/audience-expression/vocabulary.js';
import { useExplanation } from '../../api/audiences.js';
import { errorText } from '../../api/client.js';
import { useEmployees } from '../../api/smart-groups.js';
import { CustomerPicker, type PickedCustomer } from './customer-picker.js';
import { type ExplanationRow, explanationRows, reasonParts, withEmployeeNames } from './explanation-rows.js';

/** One clause: ✓ or ✗, what it is, and for a condition the customer's facts that decided it. */
function ClauseRow({ row, names }: { row: ExplanationRow; names: ReadonlyMap<string, string> }) {
  const { t } = useTranslation('audiences');
  const parts = row.reason ? reasonParts(withEmployeeNames(row.reason, names)) : undefined;
  const values = { ...parts?.values };
  if (values.field) values.field = t(`field.${values.field}`);
  // "3月活动群 since 03-02 10:00": the word between a chat and its join time, in the user's language.
  if (values.list && parts?.key.startsWith('chat')) values.list = values.list.replaceAll(' since ', t('reason.chatSince'));
  if (parts?.values.field === 'gender' && values.value && genderCodes[values.value] !== undefined) values.value = t(`genders.${genderCodes[values.value]}`);
  const reason = parts ? t(`reason.${parts.key}`, values) : row.reason;
  return (
    <li
      data-testid="explain-row"
      data-held={String(row.held)}
      data-decisive={String(row.decisive)}
      style={{ listStyle: 'none', paddingInlineStart: row.depth * 22, opacity: row.decisive ? 1 : 0.6, lineHeight: '26px' }}
    >
      <Space size={6} wrap align="baseline">
        <Typography.Text
          strong
          type={row.held ? 'success' : 'danger'}
          aria-label={row.held ? t('explain.heldMark') : t('explain.failedMark')}
          style={{ display: 'inline-block', width: 14 }}
        >
          {row.held ? '✓' : '✗'}
        </Typography.Text>
        {row.kind === 'leaf' ? (
          <Typography.Text code style={{ wordBreak: 'break-word' }}>
            {row.clause}
          </Typography.Text>
        ) : (
          <Typography.Text strong>{t(`explain.kind.${row.kind}`)}</Typography.Text>
        )}
        {reason && (
          <Typography.Text type="secondary" style={{ fontSize: 13, wordBreak: 'break-word' }}>
            {reason}
          </Typography.Text>
        )}
      </Space>
    </li>
  );
}

/**
 * The answer for one customer: in or out, then every clause marked ✓ / ✗ with the facts behind
 * each condition; the clauses that decided the answer stand out, the others are dimmed.
 */
export function ExplanationView({ exprKey, expression, customer }: { exprKey: string | undefined; expression: unknown; customer: PickedCustomer | undefined }) {
  const { t } = useTranslation('audiences');
  const answer = useExplanation(exprKey, expression, customer?.externalUserid);
  const rows = useMemo(() => (answer.data ? explanationRows(answer.data.explanation) : []), [answer.data]);
  const employees = useEmployees();
  const names = useMemo(() => new Map((employees.data ?? []).map((e) => [e.userid, e.name])), [employees.data]);
  if (!customer) return null;
  if (answer.isError) return <Alert type="error" showIcon message={errorText(answer.error)} />;
  if (!answer.data) return answer.isFetching ? <Spin size="small" /> : null;
  return (
    <div aria-live="polite" style={{ opacity: answer.isFetching ? 0.6 : 1 }}>
      <Alert
        data-testid="explain-verdict"
        data-held={String(answer.data.held)}
        type={answer.data.held ? 'success' : 'warning'}
        showIcon
        message={answer.data.held ? t('explain.in', { name: customer.name }) : t('explain.out', { name: customer.name })}
        style={{ marginBottom: 8 }}
      />
      <ul aria-label={t('explain.tree')} style={{ margin: 0, padding: 0 }}>
        {rows.map((row) => (
          <ClauseRow key={row.key} row={row} names={names} />
        ))}
      </ul>
    </div>
  );
}

/**
 * 为什么在/不在这个人群: pick a customer by name and see the explanation. Works for a saved
 * audience and for one still being edited.
 */
export function ExplainPanel({ exprKey, expression, idPrefix }: { exprKey: string | undefined; expression: unknown; idPrefix: string }) {
  const { t } = useTranslation('audiences');
  const [customer, setCustomer] = useState<PickedCustomer | undefined>(undefined);
  const pickerId = `${idPrefix}-explain-customer`;
  return (
    <Space direction="vertical" size="small" style={{ width: '100%' }} data-testid="explain-panel">
      <Form.Item label={t('explain.customer')} htmlFor={pickerId} style={{ marginBottom: 0 }} layout="vertical">
        <CustomerPicker id={pickerId} value={customer} onChange={setCustomer} />
      </Form.Item>
      {exprKey === undefined && <Typography.Text type="secondary">{t('explain.noRule')}</Typography.Text>}
      {exprKey !== undefined && !customer && <Typography.Text type="secondary">{t('explain.pickHint')}</Typography.Text>}
      <ExplanationView exprKey={exprKey} expression={expression} customer={customer} />
    </Space>
  );
}
