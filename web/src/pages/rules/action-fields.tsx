import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Form, Input, Radio, Row, Select, Space, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ruleLimits } from '../../../../contracts/rules.js';
import type { TriggerKind } from '../../api/rules.js';
import type { TagGroupDto } from '../../api/tags.js';
import { tagChoices } from '../customers/tag-options.js';
import { placeholdersFor } from './rule-form.js';

const actionKinds = ['add', 'remove', 'move', 'addTemplate'] as const;

/** The tags of one action: a searchable pick of the library's tags, grouped by tag group. */
function TagIdsField({ index, options, label }: { index: number; options: ReturnType<typeof tagChoices>['options']; label: string }) {
  const { t } = useTranslation('tagRules');
  return (
    <Form.Item
      name={[index, 'tagIds']}
      label={label}
      rules={[
        { required: true, type: 'array', min: 1, message: t('actions.tagsRequired') },
        { type: 'array', max: ruleLimits.tagIdsPerAction, message: t('actions.tagsTooMany', { max: ruleLimits.tagIdsPerAction }) },
      ]}
    >
      <Select mode="multiple" showSearch optionFilterProp="label" options={options} aria-label={label} />
    </Form.Item>
  );
}

/** move: a group and the one tag of it the customer keeps (the group's other tags come off). */
function MoveFields({ index, groups }: { index: number; groups: readonly TagGroupDto[] }) {
  const { t } = useTranslation('tagRules');
  const groupId = Form.useWatch(['actions', index, 'groupId']) as string | undefined;
  const group = groups.find((g) => g.groupId === groupId);
  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        <Form.Item name={[index, 'groupId']} label={t('actions.group')} rules={[{ required: true, message: t('required') }]}>
          <Select showSearch optionFilterProp="label" options={groups.map((g) => ({ value: g.groupId, label: g.name }))} aria-label={t('actions.group')} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name={[index, 'tagId']} label={t('actions.moveTo')} rules={[{ required: true, message: t('required') }]}>
          <Select
            showSearch
            optionFilterProp="label"
            disabled={!group}
            options={(group?.tags ?? []).filter((tag) => !tag.deleted).map((tag) => ({ value: tag.tagId, label: tag.name }))}
            aria-label={t('actions.moveTo')}
          />
        </Form.Item>
      </Col>
    </Row>
  );
}

/** addTemplate: the template text with the placeholders this trigger offers, and its group (existing, or a new name). */
function TemplateFields({ index, groups, kind }: { index: number; groups: readonly TagGroupDto[]; kind: TriggerKind }) {
  const { t } = useTranslation('tagRules');
  const mode = (Form.useWatch(['actions', index, 'groupMode']) as string | undefined) ?? 'existing';
  const { placeholders, anyField } = placeholdersFor(kind);
  return (
    <>
      <Form.Item
        name={[index, 'template']}
        label={t('actions.template')}
        rules={[{ required: true, message: t('required') }]}
        extra={
          <Space size={4} wrap>
            {t('actions.placeholders')}
            {placeholders.map((p) => (
              <Typography.Text key={p} code copyable={{ text: p }}>
                {p}
              </Typography.Text>
            ))}
            {anyField && t('actions.anyField')}
          </Space>
        }
      >
        <Input aria-label={t('actions.template')} placeholder={t('actions.templatePlaceholder')} maxLength={ruleLimits.templateMax} />
      </Form.Item>
      <Form.Item name={[index, 'groupMode']} initialValue="existing" label={t('actions.templateGroup')}>
        <Radio.Group
          options={[
            { value: 'existing', label: t('actions.existingGroup') },
            { value: 'new', label: t('actions.newGroup') },
          ]}
        />
      </Form.Item>
      {mode === 'new' ? (
        <Form.Item name={[index, 'groupName']} label={t('actions.groupName')} rules={[{ required: true, message: t('required') }]}>
          <Input aria-label={t('actions.groupName')} maxLength={64} />
        </Form.Item>
      ) : (
        <Form.Item name={[index, 'groupId']} label={t('actions.group')} rules={[{ required: true, message: t('required') }]}>
          <Select showSearch optionFilterProp="label" options={groups.map((g) => ({ value: g.groupId, label: g.name }))} aria-label={t('actions.group')} />
        </Form.Item>
      )}
    </>
  );
}

/** One action's fields, by its kind. */
function ActionBody({ index, groups, kind }: { index: number; groups: readonly TagGroupDto[]; kind: TriggerKind }) {
  const { t } = useTranslation('tagRules');
  const actionKind = Form.useWatch(['actions', index, 'kind']) as string | undefined;
  const options = useMemo(() => tagChoices(groups, [], { personal: '' }).options, [groups]);
  if (actionKind === 'move') return <MoveFields index={index} groups={groups} />;
  if (actionKind === 'addTemplate') return <TemplateFields index={index} groups={groups} kind={kind} />;
  return <TagIdsField index={index} options={options} label={actionKind === 'remove' ? t('actions.removeTags') : t('actions.addTags')} />;
}

/** The rule's actions (at most `actionsMax`): add tags, remove tags, move within a group, add a template tag. */
export function ActionFields({ groups, kind }: { groups: readonly TagGroupDto[]; kind: TriggerKind }) {
  const { t } = useTranslation('tagRules');
  return (
    <Form.List name="actions">
      {(fields, { add, remove }) => (
        <Space direction="vertical" style={{ width: '100%' }}>
          {fields.map((field) => (
            <Card
              key={field.key}
              size="small"
              title={
                <Form.Item name={[field.name, 'kind']} noStyle>
                  <Select
                    aria-label={t('actions.kind', { n: field.name + 1 })}
                    style={{ width: 200 }}
                    options={actionKinds.map((k) => ({ value: k, label: t(`actions.kindOf.${k}`) }))}
                  />
                </Form.Item>
              }
              extra={
                <Button
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  disabled={fields.length <= 1}
                  aria-label={t('actions.remove', { n: field.name + 1 })}
                  onClick={() => remove(field.name)}
                />
              }
            >
              <ActionBody index={field.name} groups={groups} kind={kind} />
            </Card>
          ))}
          <Button icon={<PlusOutlined />} disabled={fields.length >= ruleLimits.actionsMax} onClick={() => add({ kind: 'add', tagIds: [] })}>
            {t('actions.add')}
          </Button>
        </Space>
      )}
    </Form.List>
  );
}
