import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Modal, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { useTagLibraryActions } from '../../api/tags.js';
import { NameInput } from '../../components/name-input.js';

type Fields = { name: string; tags: string[] };

/** 新建标签组: a group name and its first tags (WeCom has no empty groups), each with its counter. */
export function CreateGroupModal({ open, nameMax, onClose }: { open: boolean; nameMax: number; onClose: () => void }) {
  const { t } = useTranslation('tags');
  const [form] = Form.useForm<Fields>();
  const actions = useTagLibraryActions();
  const submit = (fields: Fields) =>
    actions.createGroup.mutate(
      { name: fields.name, tags: fields.tags.filter((name) => name && name.trim() !== '').map((name) => ({ name })) },
      {
        onSuccess: () => {
          form.resetFields();
          onClose();
        },
      },
    );
  return (
    <Modal
      open={open}
      title={t('create.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common:save')}
      cancelText={t('common:cancel')}
      confirmLoading={actions.createGroup.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ name: '', tags: [''] }} onFinish={submit}>
        <Form.Item name="name" label={t('create.groupName')} rules={[{ required: true, whitespace: true, message: t('create.required') }]}>
          <NameInput max={nameMax} aria-label={t('create.groupName')} />
        </Form.Item>
        <Form.List name="tags">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Space key={field.key} align="baseline" style={{ display: 'flex' }}>
                  <Form.Item
                    {...field}
                    label={index === 0 ? t('create.tags') : undefined}
                    rules={index === 0 ? [{ required: true, whitespace: true, message: t('create.oneTag') }] : []}
                  >
                    <NameInput max={nameMax} aria-label={t('create.tagName', { n: index + 1 })} style={{ width: 280 }} />
                  </Form.Item>
                  {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(field.name)} aria-label={t('create.removeTag')} />}
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')}>
                {t('create.addTag')}
              </Button>
            </>
          )}
        </Form.List>
        {actions.createGroup.isError && <Alert style={{ marginTop: 16 }} type="error" showIcon message={errorText(actions.createGroup.error)} />}
      </Form>
    </Modal>
  );
}
