import { HistoryOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Tag as Chip, Empty, Input, Result, Skeleton, Space, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { errorText } from '../../api/client.js';
import { can, type MeDto } from '../../api/session.js';
import { useSettings, useTagGroups, useTagLibraryActions } from '../../api/tags.js';
import { PageHeader } from '../../components/page-header.js';
import { theme } from '../../providers.js';
import { StarterTemplatesButton, StarterTemplatesPanel } from '../starter-templates/starter-templates.js';
import { CreateGroupModal } from './create-group.js';
import { DeleteConfirm, type DeleteTarget } from './delete-confirm.js';
import { GroupCard } from './group-card.js';
import { PersonalTags } from './personal-tags.js';
import { RecentDeletions } from './recent-deletions.js';
import { reorder } from './reorder.js';

/**
 * 客户标签: the enterprise tag library and the user's personal tags on one page, one click from
 * anywhere (the menu and ⌘K). What a user may change is what the server's abilities say.
 */
export default function TagLibraryPage({ me }: { me: MeDto }) {
  const { t } = useTranslation('tags');
  const { message } = App.useApp();
  const groups = useTagGroups();
  const settings = useSettings();
  const actions = useTagLibraryActions();
  const [params] = useSearchParams();
  const [filter, setFilter] = useState('');
  const [creating, setCreating] = useState(false);
  const [history, setHistory] = useState(false);
  const [deleting, setDeleting] = useState<DeleteTarget | null>(null);
  const dragged = useRef<string | null>(null);
  const nameMax = settings.data?.limits.nameMaxLength ?? 16;
  const focusGroup = params.get('group');

  useEffect(() => {
    if (focusGroup && groups.data) document.getElementById(`group-${focusGroup}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' });
  }, [focusGroup, groups.data]);

  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase();
    if (!q) return groups.data ?? [];
    return (groups.data ?? []).filter((g) => g.name.toLowerCase().includes(q) || g.tags.some((tag) => tag.name.toLowerCase().includes(q)));
  }, [filter, groups.data]);

  const drop = (to: string) => {
    const from = dragged.current;
    dragged.current = null;
    if (!from || !groups.data) return;
    const changes = reorder(
      groups.data.map((g) => ({ id: g.groupId, order: g.order })),
      from,
      to,
    );
    void Promise.all(changes.map((c) => actions.reorderGroup.mutateAsync({ groupId: c.id, order: c.order }))).catch((error) => message.error(errorText(error)));
  };
  const confirmDelete = () => {
    if (!deleting) return;
    const done = { onSuccess: () => setDeleting(null), onError: (error: unknown) => message.error(errorText(error)) };
    if ('tagId' in deleting) actions.deleteTag.mutate(deleting.tagId, done);
    else actions.deleteGroup.mutate(deleting.groupId, done);
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader
        title={t('title')}
        actions={
          <Space wrap>
            <span aria-label={t('legend.label')}>
              <Chip color={theme.enterpriseTag}>{t('legend.enterprise')}</Chip>
              <Chip color={theme.personalTag}>{t('legend.personal')}</Chip>
            </span>
            <Input.Search allowClear placeholder={t('filter')} aria-label={t('filter')} onChange={(e) => setFilter(e.target.value)} style={{ width: 220 }} />
            {(can(me, 'tag.delete') || can(me, 'tagGroup.delete')) && (
              <Button icon={<HistoryOutlined />} onClick={() => setHistory(true)}>
                {t('recent.open')}
              </Button>
            )}
            <StarterTemplatesButton me={me} groups={groups.data} />
            {can(me, 'tagGroup.create') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                {t('newGroup')}
              </Button>
            )}
          </Space>
        }
      />
      <Typography.Text type="secondary">{t('limits', { name: nameMax, perGroup: settings.data?.limits.tagsPerGroup ?? 3000 })}</Typography.Text>
      {groups.isPending && <Skeleton active paragraph={{ rows: 6 }} />}
      {groups.isError && (
        <Result
          status="error"
          title={t('common:loadFailed')}
          subTitle={errorText(groups.error)}
          extra={<Button onClick={() => void groups.refetch()}>{t('common:retry')}</Button>}
        />
      )}
      {groups.data && groups.data.length === 0 && <Empty description={t('empty')} />}
      <StarterTemplatesPanel me={me} groups={groups.data} />
      {groups.data && groups.data.length > 0 && shown.length === 0 && <Alert type="info" message={t('noMatch')} />}
      {shown.map((group) => (
        <GroupCard
          key={group.groupId}
          group={group}
          nameMax={nameMax}
          highlightTag={params.get('tag')}
          onDelete={setDeleting}
          drag={{ onDragStart: () => (dragged.current = group.groupId), onDragOver: (e) => e.preventDefault(), onDrop: () => drop(group.groupId) }}
        />
      ))}
      {can(me, 'personalTag.manage') && <PersonalTags nameMax={nameMax} />}
      <CreateGroupModal open={creating} nameMax={nameMax} onClose={() => setCreating(false)} />
      <DeleteConfirm
        target={deleting}
        busy={actions.deleteTag.isPending || actions.deleteGroup.isPending}
        onConfirm={confirmDelete}
        onCancel={() => setDeleting(null)}
      />
      <RecentDeletions open={history} onClose={() => setHistory(false)} />
    </Space>
  );
}
