import { App, Button, Checkbox, Col, Divider, Drawer, Form, Input, Row, Select, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { basePrivileges, optionalPrivileges } from '../../../../src/modules/strategies/privileges.js';
import { useDepartments } from '../../api/admin.js';
import { errorText } from '../../api/client.js';
import { type StrategyDto, type StrategyPrivilegeDto, useRuleGroupActions } from '../../api/rule-groups.js';
import { useEmployees } from '../../api/smart-groups.js';
import { RuleGroupTags } from './rule-group-tags.js';

/** What the editor is open for: a new rule group, or a saved one. */
export type RuleGroupTarget = { mode: 'new' } | { mode: 'edit'; strategy: StrategyDto };

type Draft = { parentId: number; name: string; adminList: string[]; departments: number[]; userids: string[]; privilege: Partial<StrategyPrivilegeDto> };

const emptyDraft: Draft = { parentId: 0, name: '', adminList: [], departments: [], userids: [], privilege: { manage_customer_tag: true } };

/**
 * The rule group editor: parent, name, admins, range (departments with their subtrees and
 * members), the rights of a top-level group, and — once saved — its own tag groups.
 */
export function RuleGroupEditor({ target, all, onClose }: { target: RuleGroupTarget | null; all: StrategyDto[]; onClose: () => void }) {
  const { t } = useTranslation('rules');
  const { message } = App.useApp();
  const actions = useRuleGroupActions();
  const departments = useDepartments();
  const employees = useEmployees();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const editing = target?.mode === 'edit' ? target.strategy : undefined;
  useEffect(() => {
    setDraft(
      editing
        ? {
            parentId: editing.parentId,
            name: editing.name,
            adminList: editing.adminList,
            departments: editing.range.departments,
            userids: editing.range.userids,
            privilege: editing.privilege,
          }
        : emptyDraft,
    );
  }, [target === null ? null : (editing?.strategyId ?? 'new')]); // eslint-disable-line react-hooks/exhaustive-deps
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const topLevel = draft.parentId === 0;
  const saving = actions.create.isPending || actions.update.isPending;

  const save = async () => {
    const range = { departments: draft.departments, userids: draft.userids };
    const optional = Object.fromEntries(optionalPrivileges.map((k) => [k, draft.privilege[k] === true]));
    try {
      if (editing)
        await actions.update.mutateAsync({
          strategyId: editing.strategyId,
          body: { name: draft.name.trim(), adminList: draft.adminList, range, ...(editing.parentId === 0 ? { privilege: optional } : {}) },
        });
      else
        await actions.create.mutateAsync({
          parentId: draft.parentId,
          name: draft.name.trim(),
          adminList: draft.adminList,
          range,
          ...(topLevel ? { privilege: optional } : {}),
        });
      message.success(t('saved'));
      onClose();
    } catch (error) {
      message.error(errorText(error));
    }
  };
  const people = (employees.data ?? []).map((e) => ({ value: e.userid, label: `${e.name} (${e.userid})` }));

  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      width="min(880px, 96vw)"
      title={editing ? t('editor.editTitle', { name: editing.name }) : t('editor.newTitle')}
      destroyOnHidden
      extra={
        <Button type="primary" onClick={() => void save()} loading={saving} disabled={!draft.name.trim() || draft.adminList.length === 0}>
          {t('common:save')}
        </Button>
      }
    >
      <Form layout="vertical">
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item label={t('editor.name')} required>
              <Input aria-label={t('editor.name')} value={draft.name} onChange={(e) => set({ name: e.target.value })} maxLength={30} showCount />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t('editor.parent')}>
              <Select
                aria-label={t('editor.parent')}
                disabled={!!editing}
                value={draft.parentId}
                options={[
                  { value: 0, label: t('editor.topLevel') },
                  ...all.filter((s) => s.strategyId !== editing?.strategyId).map((s) => ({ value: s.strategyId, label: s.name })),
                ]}
                onChange={(parentId: number) => set({ parentId })}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('editor.admins')} required>
          <Select
            mode="multiple"
            showSearch
            optionFilterProp="label"
            aria-label={t('editor.admins')}
            loading={employees.isPending}
            value={draft.adminList}
            options={people}
            onChange={(adminList: string[]) => set({ adminList })}
            maxCount={20}
          />
        </Form.Item>
        <Form.Item label={t('editor.rangeDepartments')}>
          <Select
            mode="multiple"
            showSearch
            optionFilterProp="label"
            aria-label={t('editor.rangeDepartments')}
            loading={departments.isPending}
            value={draft.departments}
            options={(departments.data ?? []).map((d) => ({ value: d.deptId, label: `${'· '.repeat(d.depth)}${d.name}` }))}
            onChange={(ids: number[]) => set({ departments: ids })}
          />
        </Form.Item>
        <Form.Item label={t('editor.rangeMembers')}>
          <Select
            mode="multiple"
            showSearch
            optionFilterProp="label"
            aria-label={t('editor.rangeMembers')}
            value={draft.userids}
            options={people}
            onChange={(userids: string[]) => set({ userids })}
          />
        </Form.Item>
        <Divider titlePlacement="start">{t('editor.privileges')}</Divider>
        {!topLevel && <Typography.Paragraph type="secondary">{t('editor.inherited')}</Typography.Paragraph>}
        <Row gutter={[8, 4]}>
          {basePrivileges.map((key) => (
            <Col xs={24} md={12} key={key}>
              <Tooltip title={t('editor.base')}>
                <Checkbox checked disabled>
                  {t(`privilege.${key}`)}
                </Checkbox>
              </Tooltip>
            </Col>
          ))}
          {optionalPrivileges.map((key) => (
            <Col xs={24} md={12} key={key}>
              <Checkbox
                checked={draft.privilege[key] === true}
                disabled={!topLevel}
                onChange={(e) => set({ privilege: { ...draft.privilege, [key]: e.target.checked } })}
              >
                {t(`privilege.${key}`)}
              </Checkbox>
            </Col>
          ))}
        </Row>
        <Divider titlePlacement="start">{t('tags.title')}</Divider>
        {!topLevel ? (
          <Typography.Text type="secondary">{t('tags.childHint')}</Typography.Text>
        ) : editing ? (
          <RuleGroupTags strategyId={editing.strategyId} />
        ) : (
          <Typography.Text type="secondary">{t('tags.saveFirst')}</Typography.Text>
        )}
      </Form>
    </Drawer>
  );
}
