import { Checkbox, Col, DatePicker, Form, Input, InputNumber, Row, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ruleLimits } from '../../../../contracts/rules.js';
import { useContactWays, useGroupChats, useWebhookSources } from '../../api/rules.js';
import { ScheduleFields } from './schedule-fields.js';

const wallFormat = 'YYYY-MM-DD HH:mm';

/** A campaign window's two ends, kept in the form as Shanghai wall-clock text and picked with a date-time picker. */
function WindowFields() {
  const { t } = useTranslation('tagRules');
  const picker = (name: 'windowStart' | 'windowEnd', label: string) => (
    <Col xs={24} md={12}>
      <Form.Item
        name={['trigger', name]}
        label={label}
        getValueProps={(value?: string) => ({ value: value ? dayjs(value.replace(' ', 'T')) : null })}
        getValueFromEvent={(value: Dayjs | null) => (value ? value.format(wallFormat) : undefined)}
      >
        <DatePicker showTime={{ format: 'HH:mm' }} format={wallFormat} aria-label={label} style={{ width: '100%' }} />
      </Form.Item>
    </Col>
  );
  return (
    <Row gutter={16}>
      {picker('windowStart', t('trigger.windowStart'))}
      {picker('windowEnd', t('trigger.windowEnd'))}
    </Row>
  );
}

/** message.keyword: the keywords (each at most `keywordMax`, at most `keywordsMax`), any/all, contains/exact, and an optional threshold. */
function KeywordFields() {
  const { t } = useTranslation('tagRules');
  const threshold = Form.useWatch(['trigger', 'threshold']) as boolean | undefined;
  return (
    <>
      <Form.Item
        name={['trigger', 'keywords']}
        label={t('trigger.keywords')}
        extra={t('trigger.keywordsHelp', { max: ruleLimits.keywordsMax, each: ruleLimits.keywordMax })}
        rules={[
          { required: true, type: 'array', min: 1, message: t('trigger.keywordsRequired') },
          { type: 'array', max: ruleLimits.keywordsMax, message: t('trigger.keywordsTooMany', { max: ruleLimits.keywordsMax }) },
          {
            validator: (_rule, value?: string[]) =>
              (value ?? []).some((k) => [...k].length > ruleLimits.keywordMax)
                ? Promise.reject(new Error(t('trigger.keywordTooLong', { max: ruleLimits.keywordMax })))
                : Promise.resolve(),
          },
        ]}
      >
        <Select
          mode="tags"
          open={false}
          suffixIcon={null}
          tokenSeparators={[',', '，', '\n']}
          aria-label={t('trigger.keywords')}
          placeholder={t('trigger.keywordsPlaceholder')}
        />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name={['trigger', 'match']} label={t('trigger.match')}>
            <Select aria-label={t('trigger.match')} options={(['any', 'all'] as const).map((v) => ({ value: v, label: t(`trigger.matchOf.${v}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={['trigger', 'mode']} label={t('trigger.mode')}>
            <Select aria-label={t('trigger.mode')} options={(['contains', 'exact'] as const).map((v) => ({ value: v, label: t(`trigger.modeOf.${v}`) }))} />
          </Form.Item>
        </Col>
      </Row>
      <Space wrap align="baseline">
        <Form.Item name={['trigger', 'threshold']} valuePropName="checked">
          <Checkbox>{t('trigger.threshold')}</Checkbox>
        </Form.Item>
        {threshold && (
          <>
            <Form.Item name={['trigger', 'thresholdCount']} label={t('trigger.thresholdCount')} rules={[{ required: true, message: t('required') }]}>
              <InputNumber min={1} max={1000} precision={0} aria-label={t('trigger.thresholdCount')} />
            </Form.Item>
            <Form.Item name={['trigger', 'thresholdDays']} label={t('trigger.thresholdDays')} rules={[{ required: true, message: t('required') }]}>
              <InputNumber min={1} max={365} precision={0} aria-label={t('trigger.thresholdDays')} />
            </Form.Item>
          </>
        )}
      </Space>
    </>
  );
}

/** customer.added: which contact ways' states (none = any) and the campaign window. */
function CustomerAddedFields() {
  const { t } = useTranslation('tagRules');
  const ways = useContactWays(true);
  const options = [
    ...new Map(
      (ways.data ?? []).filter((w) => w.state).map((w) => [w.state, { value: w.state, label: w.remark ? `${w.remark} (${w.state})` : w.state }]),
    ).values(),
  ];
  return (
    <>
      <Form.Item name={['trigger', 'contactWayStates']} label={t('trigger.contactWayStates')} extra={t('trigger.anyWhenEmpty')}>
        <Select mode="tags" loading={ways.isPending} options={options} optionFilterProp="label" aria-label={t('trigger.contactWayStates')} />
      </Form.Item>
      <WindowFields />
    </>
  );
}

/** groupchat.joined: which chats and join-way states (none = any) and the campaign window. */
function GroupChatFields() {
  const { t } = useTranslation('tagRules');
  const chats = useGroupChats(true);
  return (
    <>
      <Form.Item name={['trigger', 'chatIds']} label={t('trigger.chatIds')} extra={t('trigger.anyWhenEmpty')}>
        <Select
          mode="multiple"
          loading={chats.isPending}
          optionFilterProp="label"
          options={(chats.data ?? []).map((c) => ({ value: c.chatId, label: c.name || c.chatId }))}
          aria-label={t('trigger.chatIds')}
        />
      </Form.Item>
      <Form.Item name={['trigger', 'states']} label={t('trigger.states')} extra={t('trigger.anyWhenEmpty')}>
        <Select mode="tags" open={false} suffixIcon={null} aria-label={t('trigger.states')} />
      </Form.Item>
      <WindowFields />
    </>
  );
}

/** behaviour: the event type (dotted, as the audience language writes it) and an optional target. */
function BehaviourFields() {
  const { t } = useTranslation('tagRules');
  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        <Form.Item
          name={['trigger', 'eventType']}
          label={t('trigger.eventType')}
          rules={[{ required: true, message: t('required') }]}
          extra={t('trigger.eventTypeHelp')}
        >
          <Input aria-label={t('trigger.eventType')} placeholder="link.clicked" maxLength={64} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name={['trigger', 'target']} label={t('trigger.target')}>
          <Input aria-label={t('trigger.target')} maxLength={128} />
        </Form.Item>
      </Col>
    </Row>
  );
}

/** webhook: which source, and which of its event types. */
function WebhookFields() {
  const { t } = useTranslation('tagRules');
  const sources = useWebhookSources(true);
  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        <Form.Item name={['trigger', 'sourceId']} label={t('trigger.source')} rules={[{ required: true, message: t('required') }]}>
          <Select
            loading={sources.isPending}
            showSearch
            optionFilterProp="label"
            options={(sources.data ?? []).map((s) => ({ value: s.sourceId, label: s.name }))}
            aria-label={t('trigger.source')}
          />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name={['trigger', 'eventType']} label={t('trigger.webhookEventType')} rules={[{ required: true, message: t('required') }]}>
          <Input aria-label={t('trigger.webhookEventType')} maxLength={64} />
        </Form.Item>
      </Col>
    </Row>
  );
}

/** The fields of the chosen trigger kind; the others keep their values hidden, so switching back restores them. */
export function TriggerFields({ kind }: { kind: string | undefined }) {
  switch (kind) {
    case 'message.keyword':
      return <KeywordFields />;
    case 'customer.added':
      return <CustomerAddedFields />;
    case 'groupchat.joined':
      return <GroupChatFields />;
    case 'behaviour':
      return <BehaviourFields />;
    case 'webhook':
      return <WebhookFields />;
    case 'schedule':
      return <ScheduleFields />;
    default:
      return null;
  }
}
