import { Alert, App, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { minPasswordLength } from '../../../contracts/auth.js';
import { ApiError, errorText } from '../api/client.js';
import { fieldErrors } from '../api/field-errors.js';
import { useChangeOwnPassword } from '../api/settings.js';

type Fields = { currentPassword: string; newPassword: string; confirm: string };

/**
 * 修改密码 from the user menu: the current password, a new one of the contract's minimum length,
 * typed twice. A wrong current password is said on its field in the user's language; this session
 * stays logged in and the user's other sessions end. Loaded only when opened (see app-shell).
 */
export default function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation('settings');
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  const change = useChangeOwnPassword();
  const close = () => {
    form.resetFields();
    change.reset();
    onClose();
  };
  const submit = ({ currentPassword, newPassword }: Fields) =>
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: (result) => {
          message.success(t('password.changed', { count: result.sessionsEnded }));
          close();
        },
        onError: (error) =>
          form.setFields(
            fieldErrors(error, ['currentPassword', 'newPassword'] as const).map((field) =>
              field.name === 'currentPassword' && error instanceof ApiError && error.code === 'validation_failed'
                ? { ...field, errors: [t('password.currentWrong')] }
                : field,
            ),
          ),
      },
    );
  const placedOnField = change.isError && fieldErrors(change.error, ['currentPassword', 'newPassword']).length > 0;
  return (
    <Modal
      open={open}
      title={t('password.title')}
      onCancel={close}
      onOk={() => form.submit()}
      okText={t('password.submit')}
      cancelText={t('common:cancel')}
      confirmLoading={change.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('password.required') }]}>
          <Input.Password aria-label={t('password.current')} autoComplete="current-password" maxLength={256} autoFocus />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          extra={t('password.help', { min: minPasswordLength })}
          rules={[
            { required: true, message: t('password.required') },
            { min: minPasswordLength, message: t('password.tooShort', { min: minPasswordLength }) },
          ]}
        >
          <Input.Password aria-label={t('password.new')} autoComplete="new-password" maxLength={256} />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('password.required') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password aria-label={t('password.confirm')} autoComplete="new-password" maxLength={256} />
        </Form.Item>
      </Form>
      {change.isError && !placedOnField && <Alert type="error" showIcon title={errorText(change.error)} />}
    </Modal>
  );
}
