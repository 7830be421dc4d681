import { App, Button, Drawer, Form, Input, Select, Switch } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { eventTypes } from '../../../../src/events/catalog.js';
import { errorText } from '../../api/client.js';
import { fieldErrors } from '../../api/field-errors.js';
import { type SubscriptionDto, type SubscriptionInput, type SubscriptionWithSecretDto, useSubscriptionActions } from '../../api/webhook-subscriptions.js';
import { eventFilterOptions, unknownEntries } from './event-filter.js';

/** What the drawer is open for: a new subscription, or a saved one to change. */
export type SubscriptionTarget = { mode: 'new' } | { mode: 'edit'; subscription: SubscriptionDto };

const fields = ['name', 'url', 'events', 'enabled'] as const;

/**
 * The subscription editor: a name, the receiver's URL (http(s), not a private address unless the
 * server allows it — the server checks), which events (types, `prefix.*` patterns or `*`), and
 * whether it receives. A new subscription's secret comes back once, handed to `onCreated`.
 */
export function SubscriptionDrawer({
  target,
  onClose,
  onCreated,
}: {
  target: SubscriptionTarget | null;
  onClose: () => void;
  onCreated: (created: SubscriptionWithSecretDto) => void;
}) {
  const { t } = useTranslation('connector');
  const { message } = App.useApp();
  const actions = useSubscriptionActions();
  const [form] = Form.useForm<SubscriptionInput>();
  const editing = target?.mode === 'edit' ? target.subscription : undefined;
  const options = useMemo(() => eventFilterOptions(eventTypes).map((value) => ({ value, label: value })), []);
  useEffect(() => {
    if (target === null) return;
    form.resetFields();
    form.setFieldsValue({ name: editing?.name ?? '', url: editing?.url ?? 'https://', events: editing?.events ?? ['*'], enabled: editing?.enabled ?? true });
  }, [target, editing, form]);

  const save = async (values: SubscriptionInput) => {
    const body = { ...values, name: values.name.trim(), url: values.url.trim() };
    try {
      if (editing) {
        await actions.update.mutateAsync({ subscriptionId: editing.subscriptionId, changes: body });
        message.success(t('subs.saved'));
      } else {
        onCreated(await actions.create.mutateAsync(body));
        actions.create.reset(); // the answer carries the secret: only the modal keeps it now
      }
      onClose();
    } catch (error) {
      const placed = fieldErrors(error, fields);
      form.setFields(placed);
      if (placed.length === 0) message.error(errorText(error));
    }
  };

  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      width="min(640px, 96vw)"
      title={editing ? t('subs.editTitle', { name: editing.name }) : t('subs.newTitle')}
      destroyOnHidden
      forceRender
      extra={
        <Button type="primary" onClick={() => form.submit()} loading={actions.create.isPending || actions.update.isPending}>
          {t('common:save')}
        </Button>
      }
    >
      <Form<SubscriptionInput> form={form} layout="vertical" onFinish={(v) => void save(v)}>
        <Form.Item name="name" label={t('subs.field.name')} rules={[{ required: true, whitespace: true, message: t('subs.nameRequired') }]}>
          <Input maxLength={64} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="url"
          label={t('subs.field.url')}
          extra={t('subs.urlHelp')}
          rules={[{ required: true, pattern: /^https?:\/\/[^\s/]+/, message: t('subs.urlRule') }]}
        >
          <Input maxLength={2048} autoComplete="off" inputMode="url" />
        </Form.Item>
        <Form.Item
          name="events"
          label={t('subs.field.events')}
          extra={t('subs.eventsHelp')}
          rules={[
            { required: true, type: 'array', min: 1, message: t('subs.eventsRequired') },
            {
              validator: async (_, value: string[] | undefined) => {
                const unknown = unknownEntries(value ?? [], eventTypes);
                if (unknown.length > 0) throw new Error(t('subs.eventsUnknown', { entries: unknown.join(', ') }));
              },
            },
          ]}
        >
          <Select mode="tags" options={options} tokenSeparators={[',', ' ']} placeholder="tag.*" />
        </Form.Item>
        <Form.Item name="enabled" label={t('subs.field.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
