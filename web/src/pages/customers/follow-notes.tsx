import { App, Button, Descriptions, Form, Input, Select, Space } from 'antd';
import type { Rule } from 'antd/es/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ZodType } from 'zod';
import { RemarkFollowBody } from '../../../../contracts/customers.js';
import { errorText } from '../../api/client.js';
import { type CustomerDetailDto, type RemarkFollowInput, useRemarkFollow } from '../../api/customers.js';

type FollowDto = CustomerDetailDto['follows'][number];
type NotesForm = { remark: string; description: string; remarkCompany: string; remarkMobiles: string[] };

const fields = RemarkFollowBody.shape;
/** A field's character limit, read from the contract the server checks with. */
const limitOf = (schema: { unwrap: () => ZodType }) => (schema.unwrap().meta()?.maxLength as number | undefined) ?? undefined;
const limits = { remark: limitOf(fields.remark), description: limitOf(fields.description), remarkCompany: limitOf(fields.remarkCompany) };

/** An antd rule that accepts what the contract's field accepts, with the console's own words when not. */
function contractRule(schema: ZodType, message: string): Rule {
  return { validator: (_, value: unknown) => (schema.safeParse(value).success ? Promise.resolve() : Promise.reject(new Error(message))) };
}

/** The fields that changed, so a save sends only them (the server leaves the rest as they are). */
function changed(before: FollowDto, after: NotesForm): RemarkFollowInput {
  const out: RemarkFollowInput = {};
  if (after.remark !== before.remark) out.remark = after.remark;
  if (after.description !== before.description) out.description = after.description;
  if (after.remarkCompany !== before.remarkCompany) out.remarkCompany = after.remarkCompany;
  if (after.remarkMobiles.join('\n') !== before.remarkMobiles.join('\n')) out.remarkMobiles = after.remarkMobiles;
  return out;
}

/**
 * An employee's notes on a customer — 备注 (remark), 描述 (description), 备注企业 and 备注手机号 —
 * shown under the follower, and edited in place with 编辑备注 when the relation's abilities allow
 * `customer.update`. Saving sends only what changed; the drawer refreshes from the server.
 */
export function FollowNotes({ follow }: { follow: FollowDto }) {
  const { t } = useTranslation('customers');
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<NotesForm>();
  const save = useRemarkFollow(follow.externalUserid, follow.userid);
  const mayEdit = follow.abilities?.['customer.update'] === true;
  const idPrefix = `notes-${follow.userid}`;

  const submit = (values: NotesForm) => {
    const body = changed(follow, { ...values, remarkMobiles: values.remarkMobiles ?? [] });
    if (Object.keys(body).length === 0) return setEditing(false);
    save.mutate(body, {
      onSuccess: () => {
        setEditing(false);
        message.success(t('notes.saved'));
      },
      onError: (error) => message.error(errorText(error)),
    });
  };

  if (!editing) {
    const empty = !follow.remark && !follow.description && !follow.remarkCompany && follow.remarkMobiles.length === 0;
    return (
      <Space orientation="vertical" size={4} style={{ width: '100%' }}>
        {!empty && (
          <Descriptions size="small" column={1} colon data-testid={`notes-${follow.userid}`}>
            {follow.remark && <Descriptions.Item label={t('notes.remark')}>{follow.remark}</Descriptions.Item>}
            {follow.description && (
              <Descriptions.Item label={t('notes.description')}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{follow.description}</span>
              </Descriptions.Item>
            )}
            {follow.remarkCompany && <Descriptions.Item label={t('notes.remarkCompany')}>{follow.remarkCompany}</Descriptions.Item>}
            {follow.remarkMobiles.length > 0 && <Descriptions.Item label={t('notes.remarkMobiles')}>{follow.remarkMobiles.join('、')}</Descriptions.Item>}
          </Descriptions>
        )}
        {mayEdit && (
          <Button size="small" onClick={() => setEditing(true)} aria-label={t('notes.editFor', { name: follow.userName })}>
            {empty ? t('notes.add') : t('notes.edit')}
          </Button>
        )}
      </Space>
    );
  }

  return (
    <Form<NotesForm>
      form={form}
      layout="vertical"
      size="small"
      initialValues={{ remark: follow.remark, description: follow.description, remarkCompany: follow.remarkCompany, remarkMobiles: follow.remarkMobiles }}
      onFinish={submit}
      style={{ width: '100%', maxWidth: 520 }}
      aria-label={t('notes.editFor', { name: follow.userName })}
    >
      <Form.Item
        name="remark"
        label={t('notes.remark')}
        htmlFor={`${idPrefix}-remark`}
        rules={[contractRule(fields.remark, t('notes.tooLong', { max: limits.remark }))]}
      >
        <Input id={`${idPrefix}-remark`} count={{ show: true, max: limits.remark }} />
      </Form.Item>
      <Form.Item
        name="description"
        label={t('notes.description')}
        htmlFor={`${idPrefix}-description`}
        rules={[contractRule(fields.description, t('notes.tooLong', { max: limits.description }))]}
      >
        <Input.TextArea id={`${idPrefix}-description`} count={{ show: true, max: limits.description }} autoSize={{ minRows: 2, maxRows: 5 }} />
      </Form.Item>
      <Form.Item
        name="remarkCompany"
        label={t('notes.remarkCompany')}
        htmlFor={`${idPrefix}-company`}
        rules={[contractRule(fields.remarkCompany, t('notes.tooLong', { max: limits.remarkCompany }))]}
      >
        <Input id={`${idPrefix}-company`} count={{ show: true, max: limits.remarkCompany }} />
      </Form.Item>
      <Form.Item
        name="remarkMobiles"
        label={t('notes.remarkMobiles')}
        htmlFor={`${idPrefix}-mobiles`}
        extra={t('notes.mobilesHelp')}
        rules={[contractRule(fields.remarkMobiles, t('notes.mobilesInvalid'))]}
      >
        <Select
          id={`${idPrefix}-mobiles`}
          aria-label={t('notes.remarkMobiles')}
          mode="tags"
          open={false}
          suffixIcon={null}
          tokenSeparators={[',', '，', ' ', '、']}
        />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common:save')}
        </Button>
        <Button onClick={() => setEditing(false)} disabled={save.isPending}>
          {t('common:cancel')}
        </Button>
      </Space>
    </Form>
  );
}
