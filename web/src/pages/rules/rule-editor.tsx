import { Alert, App, Button, Col, Collapse, Drawer, Form, Input, Row, Select, Space, Switch } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ruleLimits, triggerKinds } from '../../../../contracts/rules.js';
import { ApiError, errorText } from '../../api/client.js';
import { type RuleDto, type TriggerKind, useDryRun, useRuleActions } from '../../api/rules.js';
import { useTagGroups } from '../../api/tags.js';
import { AudienceEditor } from '../smart-groups/audience-editor.js';
import { useBuilderChoices } from '../smart-groups/builder-choices.js';
import type { Expr } from '../smart-groups/builder-model.js';
import { ActionFields } from './action-fields.js';
import { DryRunResult } from './dry-run-result.js';
import { FilterFields } from './filter-fields.js';
import { blankForm, definitionOf, type FieldPath, fieldOfPath, formOf, isAudiencePath, type RuleFormValues } from './rule-form.js';
import { TriggerFields } from './trigger-fields.js';

/** What the editor is open for: a new rule, or a saved one (saving it makes a new version). */
export type RuleEditorTarget = { mode: 'new' } | { mode: 'edit'; rule: RuleDto };

/** The server's refusal split into errors on the form's fields and one for the audience. */
function placeErrors(error: unknown): { fields: { name: FieldPath; errors: string[] }[]; audience: string | undefined } {
  if (!(error instanceof ApiError)) return { fields: [], audience: undefined };
  const byField = new Map<string, { name: FieldPath; errors: string[] }>();
  let audience: string | undefined;
  for (const detail of error.details) {
    if (isAudiencePath(detail.path)) {
      audience = detail.message;
      continue;
    }
    const name = fieldOfPath(detail.path);
    if (!name) continue;
    const key = name.join('.');
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(detail.message);
    byField.set(key, entry);
  }
  return { fields: [...byField.values()], audience };
}

/**
 * The rule editor: name, trigger (every kind with its own fields), conditions (an audience built
 * with the audiences' editor, and event filters) and actions. 预览 dry-runs the draft; saving a
 * saved rule makes a new version. A refusal shows on the field the server names.
 */
export function RuleEditor({ target, onClose }: { target: RuleEditorTarget | null; onClose: () => void }) {
  const { t } = useTranslation('tagRules');
  const { message } = App.useApp();
  const [form] = Form.useForm<RuleFormValues>();
  const actions = useRuleActions();
  const dryRun = useDryRun();
  const groups = useTagGroups();
  const choices = useBuilderChoices();
  const [enabled, setEnabled] = useState(true);
  const rule = target?.mode === 'edit' ? target.rule : undefined;
  const initialExpr = rule?.definition.conditions.audience?.expression as Expr | undefined;
  const [expr, setExpr] = useState<Expr | undefined>(initialExpr);
  const [audienceError, setAudienceError] = useState<string | undefined>();
  const initial = useMemo(() => (rule ? formOf(rule.name, rule.definition) : blankForm()), [rule]);
  const kind = (Form.useWatch(['trigger', 'kind'], form) as TriggerKind | undefined) ?? initial.trigger.kind;

  const refused = (error: unknown) => {
    const placed = placeErrors(error);
    form.setFields(placed.fields as Parameters<typeof form.setFields>[0]);
    setAudienceError(placed.audience);
    // Once the server's words sit on the fields they name, the toast only says where to look.
    message.error(placed.fields.length > 0 || placed.audience ? t('editor.fixFields') : errorText(error));
  };
  const draft = () => definitionOf(form.getFieldsValue(true) as RuleFormValues, expr);
  const preview = () => {
    setAudienceError(undefined);
    dryRun.mutate({ definition: draft(), days: 7, samples: 10 }, { onError: refused });
  };
  const save = async () => {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    setAudienceError(undefined);
    const values = form.getFieldsValue(true) as RuleFormValues;
    const definition = definitionOf(values, expr);
    const name = values.name.trim();
    try {
      if (!rule) await actions.create.mutateAsync({ name, enabled, definition });
      else {
        const changedDefinition = JSON.stringify(definition) !== JSON.stringify(definitionOf(initial, initialExpr));
        const changes = { ...(name !== rule.name ? { name } : {}), ...(changedDefinition ? { definition } : {}) };
        if (Object.keys(changes).length > 0) await actions.update.mutateAsync({ ruleId: rule.ruleId, ...changes });
      }
      message.success(t('saved'));
      onClose();
    } catch (error) {
      refused(error);
    }
  };

  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      title={rule ? t('editor.edit', { name: rule.name, version: rule.currentVersion }) : t('editor.new')}
      width="min(1180px, 96vw)"
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={preview} loading={dryRun.isPending}>
            {t('editor.preview')}
          </Button>
          <Button type="primary" onClick={() => void save()} loading={actions.create.isPending || actions.update.isPending}>
            {t('common:save')}
          </Button>
        </Space>
      }
    >
      {target && (
        <Form form={form} layout="vertical" initialValues={initial} key={rule?.ruleId ?? 'new'} onValuesChange={() => dryRun.reset()}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="name"
                label={t('editor.name')}
                rules={[
                  { required: true, whitespace: true, message: t('required') },
                  { max: ruleLimits.nameMax, message: t('editor.nameTooLong', { max: ruleLimits.nameMax }) },
                ]}
              >
                <Input aria-label={t('editor.name')} showCount maxLength={ruleLimits.nameMax} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name={['trigger', 'kind']} label={t('editor.trigger')}>
                <Select aria-label={t('editor.trigger')} options={triggerKinds.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
              </Form.Item>
            </Col>
            {!rule && (
              <Col xs={24} md={4}>
                <Form.Item label={t('editor.enabled')}>
                  <Switch checked={enabled} onChange={setEnabled} aria-label={t('editor.enabled')} />
                </Form.Item>
              </Col>
            )}
          </Row>
          <TriggerFields kind={kind} />
          <Collapse
            size="small"
            style={{ margin: '16px 0' }}
            defaultActiveKey={initialExpr || initial.filters.length > 0 ? ['conditions'] : []}
            items={[
              {
                key: 'conditions',
                label: t('editor.conditions'),
                forceRender: true,
                children: (
                  <Space direction="vertical" size="middle" style={{ width: '100%' }}>
                    <div>
                      <div style={{ marginBottom: 8 }}>{t('editor.audience')}</div>
                      <AudienceEditor key={rule?.ruleId ?? 'new'} initial={initialExpr} choices={choices} onChange={setExpr} />
                      {audienceError && <Alert type="error" showIcon role="alert" style={{ marginTop: 8 }} message={audienceError} />}
                    </div>
                    <div>
                      <div style={{ marginBottom: 8 }}>{t('editor.filters')}</div>
                      <FilterFields />
                    </div>
                  </Space>
                ),
              },
            ]}
          />
          <Form.Item label={t('editor.actions')} required>
            <ActionFields groups={groups.data ?? []} kind={kind} />
          </Form.Item>
          {dryRun.isSuccess && <DryRunResult result={dryRun.data} />}
        </Form>
      )}
    </Drawer>
  );
}
