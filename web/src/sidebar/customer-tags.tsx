import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Tag as Chip, Empty, Result, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/client.js';
import { useCustomer, useMarkTags } from '../api/customers.js';
import type { MeDto } from '../api/session.js';
import { usePersonalTags, useSettings, useTagGroups, useTagLibraryActions } from '../api/tags.js';
import { NameInput } from '../components/name-input.js';
import { theme } from '../providers.js';

// Chips big enough for a thumb, outlined so an unchosen tag still reads as something to tap.
const touch = { fontSize: 15, padding: '4px 12px', lineHeight: '24px', marginBottom: 6, cursor: 'pointer', border: '1px solid #d9d9d9' } as const;

/**
 * The customer's tags at a glance (every relation the employee may see), and below them every tag
 * the employee may apply, as chips: one tap puts a tag on the employee's own relation with the
 * customer, another takes it off. Personal tags are the employee's own, created right here.
 */
export function CustomerTags({ me, externalUserid }: { me: MeDto; externalUserid: string }) {
  const { t } = useTranslation('sidebar');
  const { message } = App.useApp();
  const customer = useCustomer(externalUserid);
  const groups = useTagGroups();
  const personal = usePersonalTags(me.abilities['personalTag.manage'] === true);
  const settings = useSettings();
  const mark = useMarkTags(externalUserid, me.userid);
  const library = useTagLibraryActions();
  const [newName, setNewName] = useState('');

  if (customer.isPending) return <Skeleton active />;
  if (customer.isError) return <Result status="warning" title={t('customerUnavailable')} subTitle={errorText(customer.error)} />;
  const mine = customer.data.follows.find((f) => f.userid === me.userid);
  const onMine = new Set(mine?.tags.map((tag) => tag.tagId) ?? []);
  const seen = new Map(customer.data.follows.flatMap((f) => f.tags.map((tag) => [tag.tagId, tag] as const)));
  const toggle = (tagId: string) =>
    mark.mutate(onMine.has(tagId) ? { remove: [tagId] } : { add: [tagId] }, { onError: (error) => message.error(errorText(error)) });
  const createPersonal = () =>
    library.createPersonal.mutate(newName, {
      onSuccess: (created) => {
        setNewName('');
        const tagId = (created as { tagId?: string }).tagId;
        if (tagId && mine) mark.mutate({ add: [tagId] }, { onError: (error) => message.error(errorText(error)) });
      },
      onError: (error) => message.error(errorText(error)),
    });
  const applicable = (groups.data ?? []).filter((g) => g.abilities?.['tag.apply'] === true && g.tags.length > 0);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {customer.data.name}
        </Typography.Title>
        <Typography.Text type="secondary">{[customer.data.corpName, customer.data.province, customer.data.city].filter(Boolean).join(' · ')}</Typography.Text>
        <div style={{ marginTop: 8 }} aria-label={t('current')}>
          {seen.size === 0 ? (
            <Typography.Text type="secondary">{t('noTags')}</Typography.Text>
          ) : (
            [...seen.values()].map((tag) => (
              <Chip key={tag.tagId} color={tag.type === 'personal' ? theme.personalTag : theme.enterpriseTag} style={{ marginBottom: 4 }}>
                {tag.groupName ? `${tag.groupName}：${tag.name}` : tag.name}
              </Chip>
            ))
          )}
        </div>
      </Card>
      {!mine && <Result status="info" title={t('notFollowing')} />}
      {mine &&
        applicable.map((group) => (
          <Card key={group.groupId} size="small" title={group.name}>
            {group.tags.map((tag) => (
              <Chip.CheckableTag key={tag.tagId} checked={onMine.has(tag.tagId)} onChange={() => toggle(tag.tagId)} style={touch} aria-label={tag.name}>
                {tag.name}
              </Chip.CheckableTag>
            ))}
          </Card>
        ))}
      {mine && groups.data && applicable.length === 0 && <Empty description={t('nothingToApply')} />}
      {mine && me.abilities['personalTag.manage'] && (
        <Card size="small" title={t('personal')}>
          {personal.data?.map((tag) => (
            <Chip.CheckableTag
              key={tag.tagId}
              checked={onMine.has(tag.tagId)}
              onChange={() => toggle(tag.tagId)}
              style={{ ...touch, border: '1px dashed #52c41a' }}
              aria-label={tag.name}
            >
              {tag.name}
            </Chip.CheckableTag>
          ))}
          <Space.Compact style={{ marginTop: 8, width: '100%' }}>
            <NameInput
              aria-label={t('newPersonal')}
              placeholder={t('newPersonal')}
              max={settings.data?.limits.nameMaxLength ?? 16}
              value={newName}
              onChange={(e) => setNewName(e.target.value)}
              onPressEnter={createPersonal}
            />
            <Button icon={<PlusOutlined />} onClick={createPersonal} loading={library.createPersonal.isPending} aria-label={t('addPersonal')} />
          </Space.Compact>
        </Card>
      )}
    </Space>
  );
}
