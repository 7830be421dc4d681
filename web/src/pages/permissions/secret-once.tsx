import { Alert, Button, Modal, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * The app secret the server answered, shown this once with a copy button and a warning. The caller
 * holds it only while this dialog is open and drops it (and resets the mutation that carried it)
 * on close, so nothing in the client keeps it afterwards.
 */
export function SecretOnce({ shown, onClose }: { shown: { appName: string; secret: string } | null; onClose: () => void }) {
  const { t } = useTranslation('permissions');
  return (
    <Modal
      open={shown !== null}
      title={shown ? t('apps.secretTitle', { name: shown.appName }) : ''}
      closable={false}
      maskClosable={false}
      keyboard={false}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose}>
          {t('apps.close')}
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Alert type="warning" showIcon message={t('apps.secretWarning')} />
        <Typography.Text strong>{t('apps.secretLabel')}</Typography.Text>
        <Typography.Paragraph
          code
          copyable={{ text: shown?.secret ?? '', tooltips: [t('apps.copy'), t('apps.copied')] }}
          aria-label={t('apps.secretLabel')}
          data-testid="app-secret"
          style={{ wordBreak: 'break-all' }}
        >
          {shown?.secret}
        </Typography.Paragraph>
      </Space>
    </Modal>
  );
}
