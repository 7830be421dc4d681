import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportIssueDto } from './import-logic.js';

/** The file's problems by line and column with the server's message, in file order. */
export function IssuesTable({ issues }: { issues: ImportIssueDto[] }) {
  const { t } = useTranslation('transfer');
  return (
    <Table<ImportIssueDto>
      size="small"
      aria-label={t('issues.label')}
      rowKey={(issue) => `${issue.line}:${String(issue.column)}:${issue.message}`}
      dataSource={issues}
      pagination={issues.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      columns={[
        { title: t('issues.line'), dataIndex: 'line', width: 90, render: (line: number) => (line === 0 ? t('issues.wholeFile') : line) },
        {
          title: t('issues.column'),
          dataIndex: 'column',
          width: 160,
          render: (column: string | number) => (typeof column === 'number' ? t('issues.character', { n: column }) : column),
        },
        { title: t('issues.message'), dataIndex: 'message' },
      ]}
    />
  );
}
