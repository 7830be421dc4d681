import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Tag as Chip, Empty, Popconfirm, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { usePersonalTags, useTagLibraryActions } from '../../api/tags.js';
import { NameInput } from '../../components/name-input.js';
import { theme } from '../../providers.js';

/** The user's own personal tags (green): only they see them; they stay on customers if they leave. */
export function PersonalTags({ nameMax }: { nameMax: number }) {
  const { t } = useTranslation('tags');
  const { message } = App.useApp();
  const tags = usePersonalTags();
  const actions = useTagLibraryActions();
  const [name, setName] = useState('');
  const create = () =>
    actions.createPersonal.mutate(name, {
      onSuccess: () => setName(''),
      onError: (error) => message.error(errorText(error)),
    });
  return (
    <Card size="small" title={t('personal.title')} extra={<span style={{ color: 'rgba(0, 0, 0, 0.62)' }}>{t('personal.hint')}</span>}>
      <Space size={[6, 8]} wrap>
        {tags.data?.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('personal.empty')} />}
        {tags.data?.map((tag) => (
          <Chip key={tag.tagId} color={theme.personalTag} style={{ fontSize: 14, padding: '2px 8px' }}>
            {tag.name}
            <Popconfirm
              title={t('personal.deleteConfirm', { name: tag.name })}
              onConfirm={() => actions.deletePersonal.mutate(tag.tagId, { onError: (error) => message.error(errorText(error)) })}
            >
              <DeleteOutlined style={{ marginLeft: 6, cursor: 'pointer' }} aria-label={t('deleteTagNamed', { name: tag.name })} />
            </Popconfirm>
          </Chip>
        ))}
        <Space.Compact>
          <NameInput
            aria-label={t('personal.new')}
            placeholder={t('personal.new')}
            max={nameMax}
            value={name}
            onChange={(e) => setName(e.target.value)}
            onPressEnter={create}
            style={{ width: 200 }}
          />
          <Button icon={<PlusOutlined />} onClick={create} loading={actions.createPersonal.isPending} aria-label={t('personal.add')} />
        </Space.Compact>
      </Space>
    </Card>
  );
}
