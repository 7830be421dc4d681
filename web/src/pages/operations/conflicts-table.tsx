import { Table, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { UndoConflict } from '../../../../contracts/undo.js';
import { useTagGroups } from '../../api/tags.js';

/**
 * What an undo or redo left alone, one row per customer × employee × tag, with the tag's name
 * (when the user can see it) and why (a mark changed since, a relation gone, a tag deleted…).
 */
export function ConflictsTable({ conflicts, total }: { conflicts: UndoConflict[]; total: number }) {
  const { t } = useTranslation('operations');
  const groups = useTagGroups();
  const names = useMemo(() => new Map((groups.data ?? []).flatMap((g) => g.tags.map((tag) => [tag.tagId, `${g.name}/${tag.name}`] as const))), [groups.data]);
  return (
    <>
      <Typography.Title level={5}>{t('conflicts.title', { count: total })}</Typography.Title>
      {total > conflicts.length && <Typography.Text type="secondary">{t('conflicts.capped', { shown: conflicts.length })}</Typography.Text>}
      <Table<UndoConflict>
        size="small"
        aria-label={t('conflicts.title', { count: total })}
        rowKey={(c) => `${c.tagId}|${c.externalUserid ?? ''}|${c.userid ?? ''}|${c.reason}`}
        dataSource={conflicts}
        pagination={conflicts.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        columns={[
          { title: t('conflicts.customer'), dataIndex: 'externalUserid', render: (v: string | null) => v ?? t('conflicts.wholeTag') },
          { title: t('conflicts.employee'), dataIndex: 'userid', render: (v: string | null) => v ?? '—' },
          { title: t('conflicts.tag'), dataIndex: 'tagId', render: (id: string) => names.get(id) ?? id },
          { title: t('conflicts.reason'), dataIndex: 'reason', render: (r: UndoConflict['reason']) => t(`reason.${r}`) },
        ]}
      />
    </>
  );
}
