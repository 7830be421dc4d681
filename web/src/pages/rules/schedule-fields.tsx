import { Col, Form, Input, List, Row, Select, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { useSchedulePreview } from '../../api/rules.js';
import { useDebounced } from '../../components/use-debounced.js';
import { shanghai } from './rule-form.js';

// Typing a cron asks for its next runs once the typing pauses, not for every half-typed field.
const previewDelayMs = 400;

const timezones = [shanghai, 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'UTC', 'Europe/London', 'America/New_York'];

/** The server's words for why a cron or timezone is refused (its details' messages), for the field's help line. */
function refusal(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return error ? String(error) : undefined;
  return error.details.map((d) => d.message).join('; ') || error.message;
}

/**
 * schedule: the cron and its timezone (Asia/Shanghai unless changed), with the next five run times
 * asked live from the server; a cron the server refuses shows its reason on the cron field.
 */
export function ScheduleFields() {
  const { t } = useTranslation('tagRules');
  const cron = (Form.useWatch(['trigger', 'cron']) as string | undefined) ?? '';
  const timezone = (Form.useWatch(['trigger', 'timezone']) as string | undefined) || shanghai;
  const settled = { cron: useDebounced(cron.trim(), previewDelayMs), timezone: useDebounced(timezone, previewDelayMs) };
  const preview = useSchedulePreview(settled.cron, settled.timezone);
  const current = settled.cron === cron.trim() && settled.timezone === timezone;
  const error = current && preview.isError ? refusal(preview.error) : undefined;
  return (
    <>
      <Row gutter={16}>
        <Col xs={24} md={14}>
          <Form.Item
            name={['trigger', 'cron']}
            label={t('trigger.cron')}
            rules={[{ required: true, message: t('required') }]}
            validateStatus={error ? 'error' : undefined}
            help={error}
            extra={error ? undefined : t('trigger.cronHelp')}
          >
            <Input aria-label={t('trigger.cron')} placeholder="0 3 * * *" maxLength={120} style={{ fontFamily: 'ui-monospace, Menlo, monospace' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={10}>
          <Form.Item name={['trigger', 'timezone']} label={t('trigger.timezone')}>
            <Select showSearch aria-label={t('trigger.timezone')} options={timezones.map((z) => ({ value: z, label: z }))} />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Text strong>{t('trigger.nextRuns', { timezone })}</Typography.Text> {preview.isFetching && <Spin size="small" />}
      {preview.data && current && !preview.isError && (
        <List
          size="small"
          data-testid="next-runs"
          dataSource={preview.data.runs}
          renderItem={(run) => (
            <List.Item>
              <Typography.Text code>{run.local}</Typography.Text>
              <Typography.Text type="secondary">{run.at}</Typography.Text>
            </List.Item>
          )}
        />
      )}
      {!settled.cron && <Typography.Paragraph type="secondary">{t('trigger.noCron')}</Typography.Paragraph>}
    </>
  );
}
