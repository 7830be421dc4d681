import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Col, Drawer, Form, Input, Radio, Row, Space, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { fieldErrors } from '../../api/field-errors.js';
import { type SourceWithSecretDto, useWebhookSourceActions, type WebhookSourceDto } from '../../api/webhook-sources.js';
import { draftOf, type MappingDraft, mappingOf, sampleMapping } from './mapping-form.js';

/** What the drawer is open for: a new source, or a saved one to change. */
export type SourceTarget = { mode: 'new' } | { mode: 'edit'; source: WebhookSourceDto };

const fields = ['name', 'externalUserid', 'eventType', 'target', 'fields'] as const;
type Field = (typeof fields)[number];

/**
 * The source editor: its name, whether it accepts deliveries, and the mapping from a payload to a
 * behaviour fact (where the customer is, the event type fixed or read, a target, named fields).
 * A new source's secret comes back once, handed to `onCreated`.
 */
export function SourceDrawer({
  target,
  onClose,
  onCreated,
}: {
  target: SourceTarget | null;
  onClose: () => void;
  onCreated: (created: SourceWithSecretDto) => void;
}) {
  const { t } = useTranslation('inputs');
  const { message } = App.useApp();
  const actions = useWebhookSourceActions();
  const editing = target?.mode === 'edit' ? target.source : undefined;
  const [name, setName] = useState('');
  const [enabled, setEnabled] = useState(true);
  const [mapping, setMapping] = useState<MappingDraft>(sampleMapping);
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  useEffect(() => {
    setProblems({});
    setName(editing?.name ?? '');
    setEnabled(editing?.enabled ?? true);
    setMapping(editing ? draftOf(editing.mapping) : sampleMapping);
  }, [target === null ? null : (editing?.sourceId ?? 'new')]); // eslint-disable-line react-hooks/exhaustive-deps
  const set = (patch: Partial<MappingDraft>) => setMapping((m) => ({ ...m, ...patch }));
  const problem = (field: Field) => (problems[field] ? { validateStatus: 'error' as const, help: problems[field] } : {});

  const save = async () => {
    try {
      if (editing) {
        await actions.update.mutateAsync({ sourceId: editing.sourceId, changes: { name: name.trim(), enabled, mapping: mappingOf(mapping) } });
        message.success(t('sources.saved'));
      } else {
        onCreated(await actions.create.mutateAsync({ name: name.trim(), enabled, mapping: mappingOf(mapping) }));
        actions.create.reset(); // the answer carries the secret: the modal holds it now, nothing else keeps it
      }
      onClose();
    } catch (error) {
      const placed = fieldErrors(error, fields);
      setProblems(Object.fromEntries(placed.map((f) => [f.name, f.errors.join(' ')])));
      if (placed.length === 0) message.error(errorText(error));
    }
  };

  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      width="min(720px, 96vw)"
      title={editing ? t('sources.editTitle', { name: editing.name }) : t('sources.newTitle')}
      destroyOnHidden
      extra={
        <Button
          type="primary"
          onClick={() => void save()}
          loading={actions.create.isPending || actions.update.isPending}
          disabled={!name.trim() || !mapping.externalUserid.trim() || !mapping.eventType.trim()}
        >
          {t('common:save')}
        </Button>
      }
    >
      <Form layout="vertical">
        <Row gutter={16}>
          <Col xs={24} md={16}>
            <Form.Item label={t('sources.field.name')} required {...problem('name')}>
              <Input aria-label={t('sources.field.name')} value={name} maxLength={64} onChange={(e) => setName(e.target.value)} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label={t('sources.field.enabled')}>
              <Switch aria-label={t('sources.field.enabled')} checked={enabled} onChange={setEnabled} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('sources.mapping.title')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('sources.mapping.help')}</Typography.Paragraph>
        <Form.Item label={t('sources.mapping.customer')} required {...problem('externalUserid')}>
          <Input aria-label={t('sources.mapping.customer')} value={mapping.externalUserid} onChange={(e) => set({ externalUserid: e.target.value })} />
        </Form.Item>
        <Form.Item label={t('sources.mapping.eventType')} required {...problem('eventType')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Radio.Group
              optionType="button"
              value={mapping.eventTypeMode}
              onChange={(e) => set({ eventTypeMode: e.target.value })}
              options={[
                { value: 'value', label: t('sources.mapping.fixed') },
                { value: 'path', label: t('sources.mapping.fromPath') },
              ]}
            />
            <Input
              aria-label={t('sources.mapping.eventType')}
              value={mapping.eventType}
              placeholder={mapping.eventTypeMode === 'value' ? 'order.paid' : '$.type'}
              onChange={(e) => set({ eventType: e.target.value })}
            />
          </Space>
        </Form.Item>
        <Form.Item label={t('sources.mapping.target')} extra={t('sources.mapping.targetHelp')} {...problem('target')}>
          <Input
            aria-label={t('sources.mapping.target')}
            value={mapping.target}
            placeholder="$.order.product_id"
            onChange={(e) => set({ target: e.target.value })}
          />
        </Form.Item>
        <Form.Item label={t('sources.mapping.fields')} extra={t('sources.mapping.fieldsHelp')} {...problem('fields')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            {mapping.fields.map((f, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id of their own while being typed
              <Space.Compact key={i} style={{ width: '100%' }}>
                <Input
                  aria-label={t('sources.mapping.fieldName', { n: i + 1 })}
                  style={{ width: '35%' }}
                  value={f.name}
                  placeholder="amount"
                  onChange={(e) => set({ fields: mapping.fields.map((g, j) => (j === i ? { ...g, name: e.target.value } : g)) })}
                />
                <Input
                  aria-label={t('sources.mapping.fieldPath', { n: i + 1 })}
                  value={f.path}
                  placeholder="$.order.amount"
                  onChange={(e) => set({ fields: mapping.fields.map((g, j) => (j === i ? { ...g, path: e.target.value } : g)) })}
                />
                <Button
                  icon={<DeleteOutlined />}
                  aria-label={t('sources.mapping.removeField', { n: i + 1 })}
                  onClick={() => set({ fields: mapping.fields.filter((_, j) => j !== i) })}
                />
              </Space.Compact>
            ))}
            <Button icon={<PlusOutlined />} disabled={mapping.fields.length >= 20} onClick={() => set({ fields: [...mapping.fields, { name: '', path: '' }] })}>
              {t('sources.mapping.addField')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
    </Drawer>
  );
}
