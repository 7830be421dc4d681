import { DownloadOutlined } from '@ant-design/icons';
import { Button, QRCode, Space, Typography } from 'antd';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { qrFileName, qrTarget } from './qr-target.js';

/**
 * A 活码's QR code drawn in the browser (antd's canvas QRCode: no image service sees the link),
 * with the link it encodes and a button that downloads it as a PNG.
 */
export function LocalQr({ qrCode, label, fallbackName }: { qrCode: string; label: string; fallbackName: string }) {
  const { t } = useTranslation('inputs');
  const box = useRef<HTMLDivElement>(null);
  const value = qrTarget(qrCode, window.location.origin);
  if (value === '') return <Typography.Text type="secondary">{t('qr.none')}</Typography.Text>;
  const download = () => {
    const canvas = box.current?.querySelector('canvas');
    if (!canvas) return;
    const link = document.createElement('a');
    link.href = canvas.toDataURL('image/png');
    link.download = qrFileName(label, fallbackName);
    link.click();
  };
  return (
    <Space direction="vertical" align="center">
      <div ref={box} data-testid="local-qr">
        <QRCode value={value} type="canvas" size={180} bgColor="#fff" aria-label={t('qr.label', { name: label || fallbackName })} />
      </div>
      <Typography.Text type="secondary" copyable style={{ fontSize: 12, wordBreak: 'break-all' }}>
        {value}
      </Typography.Text>
      <Button icon={<DownloadOutlined />} onClick={download}>
        {t('qr.download')}
      </Button>
    </Space>
  );
}
