import { App, Button, Tag as Chip, Drawer, Empty, List, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { useRecentDeletions, useRestoreDeletion } from '../../api/deletions.js';

/** 最近删除: what was deleted in the last 30 days, each restorable in one click with its marks. */
export function RecentDeletions({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation('tags');
  const { message } = App.useApp();
  const deletions = useRecentDeletions(open);
  const restore = useRestoreDeletion();
  return (
    <Drawer open={open} onClose={onClose} title={t('recent.title')} width={480}>
      <Typography.Paragraph type="secondary">{t('recent.hint')}</Typography.Paragraph>
      {deletions.isPending && <Spin />}
      {deletions.isError && <Typography.Text type="danger">{errorText(deletions.error)}</Typography.Text>}
      {deletions.data?.length === 0 && <Empty description={t('recent.empty')} />}
      {deletions.data && deletions.data.length > 0 && (
        <List
          dataSource={deletions.data}
          renderItem={(d) => (
            <List.Item
              actions={[
                <Button
                  key="restore"
                  size="small"
                  loading={restore.isPending && restore.variables === d.operationId}
                  onClick={() =>
                    restore.mutate(d.operationId, {
                      onSuccess: () => message.success(t('recent.restored')),
                      onError: (error) => message.error(errorText(error)),
                    })
                  }
                >
                  {t('recent.restore')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={
                  <>
                    {d.groups.map((g) => (
                      <Chip key={`g${g}`}>{t('recent.group', { name: g })}</Chip>
                    ))}
                    {d.tags.map((name, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: names can repeat (same name in two groups) and the list never reorders
                      <Chip key={`t${i}`} color="default">
                        {name}
                      </Chip>
                    ))}
                  </>
                }
                description={`${new Date(d.at).toLocaleString(i18n.language)} · ${d.actor}`}
              />
            </List.Item>
          )}
        />
      )}
    </Drawer>
  );
}
