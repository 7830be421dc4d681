import { App, Button, Col, DatePicker, Drawer, Form, Input, Radio, Row, Select, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { type ContactWayDto, useContactWayActions } from '../../api/contact-ways.js';
import { fieldErrors } from '../../api/field-errors.js';
import { useEmployees } from '../../api/smart-groups.js';
import { useTagGroups } from '../../api/tags.js';
import { fromShanghai, toShanghai, wallClockFormat } from './campaign-window.js';

/** What the drawer is open for: a new way, or a saved one to change. */
export type ContactWayTarget = { mode: 'new' } | { mode: 'edit'; way: ContactWayDto };

type Draft = {
  type: 'single' | 'multi';
  scene: 'qrcode' | 'miniprogram';
  remark: string;
  state: string;
  skipVerify: boolean;
  userids: string[];
  defaultTagIds: string[];
  startsAt: string | null;
  endsAt: string | null;
};

const emptyDraft: Draft = {
  type: 'single',
  scene: 'qrcode',
  remark: '',
  state: '',
  skipVerify: true,
  userids: [],
  defaultTagIds: [],
  startsAt: null,
  endsAt: null,
};

const fields = ['type', 'scene', 'remark', 'state', 'skipVerify', 'userids', 'defaultTagIds', 'startsAt', 'endsAt'] as const;

/** A Shanghai wall-clock picker value for an instant (the picker shows the digits as they are). */
const pickerValue = (iso: string | null): Dayjs | null => (iso === null ? null : dayjs(toShanghai(iso), wallClockFormat));

/**
 * The contact way editor: who answers (one person or several), its `state`, remark, whether adding
 * needs the member's confirmation, default tags and the campaign window, picked in China time.
 * Type and scene are fixed once created, as WeCom fixes them.
 */
export function ContactWayDrawer({ target, onClose }: { target: ContactWayTarget | null; onClose: () => void }) {
  const { t } = useTranslation('inputs');
  const { message } = App.useApp();
  const actions = useContactWayActions();
  const employees = useEmployees();
  const tagGroups = useTagGroups();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [problems, setProblems] = useState<Partial<Record<(typeof fields)[number], string>>>({});
  const problem = (field: (typeof fields)[number]) => (problems[field] ? { validateStatus: 'error' as const, help: problems[field] } : {});
  const editing = target?.mode === 'edit' ? target.way : undefined;
  useEffect(() => {
    setProblems({});
    setDraft(
      editing
        ? {
            type: editing.type,
            scene: editing.scene,
            remark: editing.remark,
            state: editing.state,
            skipVerify: editing.skipVerify,
            userids: editing.userids,
            defaultTagIds: editing.defaultTagIds,
            startsAt: editing.startsAt,
            endsAt: editing.endsAt,
          }
        : emptyDraft,
    );
  }, [target === null ? null : (editing?.configId ?? 'new')]); // eslint-disable-line react-hooks/exhaustive-deps
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const saving = actions.create.isPending || actions.update.isPending;

  const save = async () => {
    const common = {
      remark: draft.remark.trim(),
      state: draft.state.trim(),
      skipVerify: draft.skipVerify,
      userids: draft.userids,
      defaultTagIds: draft.defaultTagIds,
      startsAt: draft.startsAt,
      endsAt: draft.endsAt,
    };
    try {
      if (editing) await actions.update.mutateAsync({ configId: editing.configId, changes: common });
      else await actions.create.mutateAsync({ type: draft.type, scene: draft.scene, ...common });
      message.success(t('contactWays.saved'));
      onClose();
    } catch (error) {
      const placed = fieldErrors(error, fields);
      setProblems(Object.fromEntries(placed.map((f) => [f.name, f.errors.join(' ')])));
      if (placed.length === 0) message.error(errorText(error));
    }
  };
  const people = (employees.data ?? []).map((e) => ({ value: e.userid, label: `${e.name} (${e.userid})` }));
  const tagOptions = (tagGroups.data ?? []).map((g) => ({
    label: g.name,
    title: g.name,
    options: g.tags.map((tag) => ({ value: tag.tagId, label: tag.name })),
  }));
  const windowPicker = (key: 'startsAt' | 'endsAt') => (
    <DatePicker
      showTime={{ format: 'HH:mm' }}
      format={wallClockFormat}
      aria-label={t(`contactWays.field.${key}`)}
      style={{ width: '100%' }}
      value={pickerValue(draft[key])}
      onChange={(value: Dayjs | null) => set({ [key]: value ? (fromShanghai(value.format(wallClockFormat)) ?? null) : null })}
    />
  );

  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      width="min(720px, 96vw)"
      title={editing ? t('contactWays.editTitle', { name: editing.remark || editing.configId }) : t('contactWays.newTitle')}
      destroyOnHidden
      extra={
        <Button type="primary" onClick={() => void save()} loading={saving} disabled={draft.userids.length === 0}>
          {t('common:save')}
        </Button>
      }
    >
      <Form layout="vertical">
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item label={t('contactWays.field.type')} {...problem('type')}>
              <Radio.Group
                disabled={!!editing}
                value={draft.type}
                onChange={(e) => set({ type: e.target.value, userids: e.target.value === 'single' ? draft.userids.slice(0, 1) : draft.userids })}
                options={[
                  { value: 'single', label: t('contactWays.type.single') },
                  { value: 'multi', label: t('contactWays.type.multi') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t('contactWays.field.scene')} {...problem('scene')}>
              <Radio.Group
                disabled={!!editing}
                value={draft.scene}
                onChange={(e) => set({ scene: e.target.value })}
                options={[
                  { value: 'qrcode', label: t('contactWays.scene.qrcode') },
                  { value: 'miniprogram', label: t('contactWays.scene.miniprogram') },
                ]}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('contactWays.field.userids')} {...problem('userids')} required extra={t('contactWays.help.userids')}>
          <Select
            mode="multiple"
            showSearch
            optionFilterProp="label"
            aria-label={t('contactWays.field.userids')}
            loading={employees.isPending}
            value={draft.userids}
            options={people}
            maxCount={draft.type === 'single' ? 1 : 100}
            onChange={(userids: string[]) => set({ userids })}
          />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item label={t('contactWays.field.state')} {...problem('state')} extra={t('contactWays.help.state')}>
              <Input aria-label={t('contactWays.field.state')} value={draft.state} maxLength={30} showCount onChange={(e) => set({ state: e.target.value })} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t('contactWays.field.remark')} {...problem('remark')}>
              <Input
                aria-label={t('contactWays.field.remark')}
                value={draft.remark}
                maxLength={30}
                showCount
                onChange={(e) => set({ remark: e.target.value })}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('contactWays.field.skipVerify')} {...problem('skipVerify')} extra={t('contactWays.help.skipVerify')}>
          <Switch aria-label={t('contactWays.field.skipVerify')} checked={draft.skipVerify} onChange={(skipVerify) => set({ skipVerify })} />
        </Form.Item>
        <Form.Item label={t('contactWays.field.defaultTagIds')} {...problem('defaultTagIds')} extra={t('contactWays.help.defaultTagIds')}>
          <Select
            mode="multiple"
            showSearch
            optionFilterProp="label"
            aria-label={t('contactWays.field.defaultTagIds')}
            loading={tagGroups.isPending}
            value={draft.defaultTagIds}
            options={tagOptions}
            onChange={(defaultTagIds: string[]) => set({ defaultTagIds })}
          />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item label={t('contactWays.field.startsAt')} {...problem('startsAt')} extra={t('contactWays.help.window')}>
              {windowPicker('startsAt')}
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t('contactWays.field.endsAt')} {...problem('endsAt')}>
              {windowPicker('endsAt')}
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
