import { Alert, Descriptions, Modal, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SubscriptionWithSecretDto } from '../../api/webhook-subscriptions.js';

/**
 * The signing secret of a new or rotated subscription, shown this once with a copy button and how a
 * receiver checks it (HMAC-SHA256 over `<timestamp>.<body>`). Unmounted when closed, so the secret
 * leaves the page with the dialog.
 */
export function SubscriptionSecretModal({ shown, onClose }: { shown: SubscriptionWithSecretDto | null; onClose: () => void }) {
  const { t } = useTranslation('connector');
  if (shown === null) return null;
  return (
    <Modal
      open
      destroyOnHidden
      onCancel={onClose}
      onOk={onClose}
      cancelButtonProps={{ style: { display: 'none' } }}
      okText={t('subs.secret.done')}
      title={t('subs.secret.title', { name: shown.subscription.name })}
      width={640}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Alert type="warning" showIcon title={t('subs.secret.once')} />
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t('subs.secret.secret')}>
            <Typography.Text code copyable={{ text: shown.secret }}>
              <span data-testid="subscription-secret">{shown.secret}</span>
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('subs.field.url')}>{shown.subscription.url}</Descriptions.Item>
        </Descriptions>
        <Typography.Text type="secondary">{t('subs.secret.verify')}</Typography.Text>
      </Space>
    </Modal>
  );
}
