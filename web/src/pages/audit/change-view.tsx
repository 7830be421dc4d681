import { Col, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditEventDto } from '../../../../contracts/audit.js';

function Json({ value }: { value: unknown }) {
  return (
    <pre
      style={{ background: '#fafafa', padding: 8, margin: 0, maxHeight: 260, overflow: 'auto', fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
    >
      {value === null || value === undefined ? '—' : JSON.stringify(value, null, 2)}
    </pre>
  );
}

/** An audit entry's change as the API gives it: before and after side by side, then the payload. */
export function ChangeView({ event }: { event: AuditEventDto }) {
  const { t } = useTranslation('audit');
  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} md={8}>
        <Typography.Text strong>{t('change.before')}</Typography.Text>
        <Json value={event.before} />
      </Col>
      <Col xs={24} md={8}>
        <Typography.Text strong>{t('change.after')}</Typography.Text>
        <Json value={event.after} />
      </Col>
      <Col xs={24} md={8}>
        <Typography.Text strong>{t('change.payload')}</Typography.Text>
        <Json value={event.payload} />
      </Col>
      {(event.reason || event.operationId || event.requestId || event.redacted) && (
        <Col span={24}>
          <Typography.Text type="secondary">
            {[
              event.reason && t('change.reason', { reason: event.reason }),
              event.operationId && t('change.operation', { id: event.operationId }),
              event.requestId && t('change.request', { id: event.requestId }),
              event.redacted && t('change.redacted'),
            ]
              .filter(Boolean)
              .join(' · ')}
          </Typography.Text>
        </Col>
      )}
    </Row>
  );
}
