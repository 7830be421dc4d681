import { Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { can, type MeDto } from '../../api/session.js';
import { ExportCard } from './export-card.js';
import { ImportCard } from './import-card.js';

/** 导入导出: CSV import (with a dry run first) and CSV export, each shown to whoever may do it. */
export default function ImportExportPage({ me }: { me: MeDto }) {
  const { t } = useTranslation('transfer');
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      {can(me, 'customer.update') && <ImportCard me={me} />}
      {can(me, 'customer.export') && <ExportCard />}
    </Space>
  );
}
