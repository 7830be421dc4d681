import { Alert, Button, Descriptions, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type SampleOutcome, type SourceWithSecretDto, sendSignedSample } from '../../api/webhook-sources.js';
import { draftOf, samplePayload } from './mapping-form.js';

/**
 * The secret of a new or rotated source, shown this once with a copy button. While it is on screen
 * the console can sign a sample delivery as the sender would, which goes through every real check
 * and shows up in the delivery log.
 */
export function SecretModal({ shown, onClose }: { shown: SourceWithSecretDto | null; onClose: () => void }) {
  const { t } = useTranslation('inputs');
  const [customer, setCustomer] = useState('');
  const [outcome, setOutcome] = useState<SampleOutcome | null>(null);
  const [sending, setSending] = useState(false);
  const close = () => {
    setOutcome(null);
    setCustomer('');
    onClose();
  };
  const send = async () => {
    if (!shown) return;
    setSending(true);
    try {
      const payload = samplePayload(draftOf(shown.source.mapping), customer.trim() || 'wm-sample');
      setOutcome(await sendSignedSample(new URL(shown.source.url, window.location.origin).toString(), shown.secret, payload));
    } catch (error) {
      setOutcome({ status: 0, code: 'network', message: error instanceof Error ? error.message : String(error) });
    } finally {
      setSending(false);
    }
  };
  // Unmounted (not just hidden) once closed, so the secret leaves the page with the dialog.
  if (shown === null) return null;
  return (
    <Modal
      open
      destroyOnHidden
      onCancel={close}
      onOk={close}
      cancelButtonProps={{ style: { display: 'none' } }}
      okText={t('sources.secret.done')}
      title={t('sources.secret.title', { name: shown?.source.name })}
      width={640}
    >
      {shown && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Alert type="warning" showIcon message={t('sources.secret.once')} />
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('sources.secret.secret')}>
              <Typography.Text code copyable={{ text: shown.secret }}>
                <span data-testid="webhook-secret">{shown.secret}</span>
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('sources.field.url')}>
              <Typography.Text copyable>{new URL(shown.source.url, window.location.origin).toString()}</Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          <Typography.Text strong>{t('sources.secret.sampleTitle')}</Typography.Text>
          <Typography.Text type="secondary">{t('sources.secret.sampleHelp')}</Typography.Text>
          <Space.Compact style={{ width: '100%' }}>
            <Input
              aria-label={t('sources.test.customer')}
              placeholder={t('sources.test.customer')}
              value={customer}
              onChange={(e) => setCustomer(e.target.value)}
            />
            <Button type="primary" loading={sending} onClick={() => void send()}>
              {t('sources.secret.sendSample')}
            </Button>
          </Space.Compact>
          {outcome && (
            <Alert
              type={outcome.status === 202 ? 'success' : 'error'}
              showIcon
              message={
                outcome.status === 202
                  ? t('sources.secret.accepted', { fact: outcome.message })
                  : t('sources.secret.refused', { status: outcome.status, code: outcome.code })
              }
              description={outcome.status === 202 ? undefined : outcome.message}
            />
          )}
        </Space>
      )}
    </Modal>
  );
}
