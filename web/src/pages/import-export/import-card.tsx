import { InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Descriptions, Progress, Space, Statistic, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, errorText } from '../../api/client.js';
import { useDryRun, useRunImport } from '../../api/imports.js';
import { can, type MeDto } from '../../api/session.js';
import { JobProgress } from '../operations/job-progress.js';
import { ImportFormat } from './import-format.js';
import { issuesFromDetails, percentOf } from './import-logic.js';
import { IssuesTable } from './issues-table.js';

/**
 * 导入客户: pick or drop a CSV, check it (a dry run that writes nothing and lists every problem by
 * line and column), then import it as one undoable operation whose progress is followed live.
 */
export function ImportCard({ me }: { me: MeDto }) {
  const { t } = useTranslation('transfer');
  const [file, setFile] = useState<File | null>(null);
  const [createTags, setCreateTags] = useState(false);
  const [uploaded, setUploaded] = useState(0);
  const [written, setWritten] = useState<{ done: number; total: number } | null>(null);
  const dryRun = useDryRun();
  const run = useRunImport();
  const report = dryRun.data;
  const outcome = run.data;
  const refusedIssues = run.error instanceof ApiError ? issuesFromDetails(run.error.details) : [];

  const choose = (picked: File) => {
    setFile(picked);
    dryRun.reset();
    run.reset();
    return false;
  };
  const check = () => file && dryRun.mutate({ file, createTags });
  const start = () => {
    if (!file) return;
    setUploaded(0);
    setWritten(null);
    run.mutate({ file, createTags, onUpload: (sent, total) => setUploaded(percentOf(sent, total)), onProgress: (done, total) => setWritten({ done, total }) });
  };

  return (
    <Card title={t('import.title')}>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <ImportFormat me={me} />
        <Upload.Dragger accept=".csv,text/csv" multiple={false} showUploadList={false} beforeUpload={choose} aria-label={t('import.pick')}>
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{file ? t('import.chosen', { name: file.name, size: Math.ceil(file.size / 1024) }) : t('import.pick')}</p>
          <p className="ant-upload-hint">{t('import.hint')}</p>
        </Upload.Dragger>
        <Space wrap>
          {can(me, 'tag.create') && (
            <Checkbox checked={createTags} onChange={(e) => (setCreateTags(e.target.checked), dryRun.reset(), run.reset())}>
              {t('import.createTags')}
            </Checkbox>
          )}
          <Button onClick={check} disabled={!file || run.isPending} loading={dryRun.isPending}>
            {t('import.check')}
          </Button>
          <Button type="primary" onClick={start} disabled={!report?.valid || run.isPending || outcome !== undefined} loading={run.isPending}>
            {t('import.run')}
          </Button>
        </Space>
        {dryRun.isError && <Alert type="error" showIcon message={t('import.checkFailed')} description={errorText(dryRun.error)} />}
        {report && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Alert
              type={report.valid ? 'success' : 'warning'}
              showIcon
              message={
                report.valid ? t('report.valid') : t(report.errors.length >= 500 ? 'report.invalidMany' : 'report.invalid', { count: report.errors.length })
              }
            />
            <Space size="large" wrap aria-label={t('report.summary')}>
              <Statistic title={t('report.rows')} value={report.rows} />
              <Statistic title={t('report.customersNew')} value={report.customersNew} />
              <Statistic title={t('report.relationsNew')} value={report.relationsNew} />
              <Statistic title={t('report.marksAdd')} value={report.marks} />
              <Statistic title={t('report.marksRemove')} value={0} />
              <Statistic title={t('report.encoding')} value={report.encoding} />
            </Space>
            <Typography.Text type="secondary">{t('report.neverRemoves')}</Typography.Text>
            {report.tagsToCreate.length > 0 && <Alert type="info" message={t('report.tagsToCreate', { tags: report.tagsToCreate.join('、') })} />}
            {report.errors.length >= 500 && <Typography.Text type="secondary">{t('report.capped', { count: report.errors.length })}</Typography.Text>}
            {report.errors.length > 0 && <IssuesTable issues={report.errors} />}
          </Space>
        )}
        {run.isPending && (
          <Space direction="vertical" style={{ width: '100%' }}>
            {written ? (
              <>
                <Progress
                  percent={percentOf(written.done, written.total)}
                  status="active"
                  aria-label={t('import.writing', { done: written.done, total: written.total })}
                />
                <Typography.Text type="secondary">
                  {t('import.writing', { done: written.done.toLocaleString(), total: written.total.toLocaleString() })}
                </Typography.Text>
              </>
            ) : (
              <>
                <Progress percent={uploaded} status="active" aria-label={t('import.uploading', { percent: uploaded })} />
                <Typography.Text type="secondary">
                  {uploaded < 100 ? t('import.uploading', { percent: uploaded }) : t('import.running', { rows: report?.rows ?? 0 })}
                </Typography.Text>
              </>
            )}
          </Space>
        )}
        {run.isError && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Alert type="error" showIcon message={t('import.refused')} description={errorText(run.error).slice(0, 500)} />
            {refusedIssues.length > 0 && <IssuesTable issues={refusedIssues} />}
          </Space>
        )}
        {outcome && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <JobProgress
              operationId={outcome.operationId}
              initial={{ status: 'running', done: 0, total: outcome.result.rows, ratePerSecond: null, etaSeconds: null }}
            />
            <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered>
              <Descriptions.Item label={t('outcome.rows')}>{outcome.result.rows}</Descriptions.Item>
              <Descriptions.Item label={t('outcome.customersCreated')}>{outcome.result.customersCreated}</Descriptions.Item>
              <Descriptions.Item label={t('outcome.relationsCreated')}>{outcome.result.relationsCreated}</Descriptions.Item>
              <Descriptions.Item label={t('outcome.tagsCreated')}>{outcome.result.tagsCreated}</Descriptions.Item>
              <Descriptions.Item label={t('outcome.added')}>{outcome.result.added}</Descriptions.Item>
            </Descriptions>
            <Link to={`/operations?id=${outcome.operationId}`}>{t('outcome.open', { id: outcome.operationId })}</Link>
          </Space>
        )}
      </Space>
    </Card>
  );
}
