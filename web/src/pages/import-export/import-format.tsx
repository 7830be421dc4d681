import { DownloadOutlined } from '@ant-design/icons';
import { Button, Collapse, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MeDto } from '../../api/session.js';
import { useTagGroups } from '../../api/tags.js';
import { saveBlob } from '../../api/transfer.js';
import { importColumns, sampleCsv } from './import-logic.js';

/** The expected file: its columns with what each means, and a sample to download and fill in. */
export function ImportFormat({ me }: { me: MeDto }) {
  const { t } = useTranslation('transfer');
  const groups = useTagGroups();
  const first = groups.data?.find((g) => g.tags.length > 0);
  const download = () => {
    const text = sampleCsv(me.userid, first ? { group: first.name, tag: first.tags[0]!.name } : undefined);
    saveBlob(new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }), 'tagloom-import-sample.csv');
  };
  return (
    <Collapse
      // Only the title toggles: the sample button beside it must not sit inside another button.
      collapsible="header"
      items={[
        {
          key: 'format',
          label: t('format.title'),
          extra: (
            <Button size="small" icon={<DownloadOutlined />} onClick={(e) => (e.stopPropagation(), download())}>
              {t('format.sample')}
            </Button>
          ),
          children: (
            <>
              <Typography.Paragraph type="secondary">{t('format.intro')}</Typography.Paragraph>
              <Table
                size="small"
                pagination={false}
                rowKey="column"
                aria-label={t('format.title')}
                dataSource={importColumns.map((column) => ({
                  column,
                  required: column === 'userid' ? t('format.yes') : column === 'name' ? t('format.forNew') : t('format.no'),
                  meaning: t(`format.columns.${column}`),
                }))}
                columns={[
                  { title: t('format.column'), dataIndex: 'column', width: 150, render: (c: string) => <Typography.Text code>{c}</Typography.Text> },
                  { title: t('format.required'), dataIndex: 'required', width: 120 },
                  { title: t('format.meaning'), dataIndex: 'meaning' },
                ]}
              />
            </>
          ),
        },
      ]}
    />
  );
}
