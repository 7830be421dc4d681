import { App, Button, Col, Collapse, Descriptions, Drawer, Form, Row, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { type AudienceDto, type SmartGroupDto, usePreview, useSmartGroupActions } from '../../api/smart-groups.js';
import { useSettings } from '../../api/tags.js';
import { NameInput } from '../../components/name-input.js';
import { AudienceEditor } from './audience-editor.js';
import { AudiencePicker, compactAudience, useAudienceSummary } from './audience-picker.js';
import { audienceKey, type Expr } from './builder-model.js';
import type { BuilderChoices } from './condition-editor.js';
import { SmartTagFieldInputs } from './smart-tag-fields.js';
import { changedFields, fieldsOf, type TagFields } from './tag-fields.js';

/** What the editor is open for: a new group with its first tag, a new tag in a group, or a saved tag. */
export type EditorTarget =
  | { mode: 'new-group' }
  | { mode: 'new-tag'; group: SmartGroupDto }
  | { mode: 'edit-tag'; group: SmartGroupDto; tag: SmartGroupDto['tags'][number] };

/**
 * The smart tag editor: its name, its rule (builder and text with the live count), for a new group
 * also the group's name and who may use it; preview shows how many customers would gain and lose
 * the tag before anything is saved.
 */
export function SmartTagEditor({ target, choices, onClose }: { target: EditorTarget | null; choices: BuilderChoices; onClose: () => void }) {
  const { t } = useTranslation('smart');
  const { message } = App.useApp();
  const actions = useSmartGroupActions();
  const preview = usePreview();
  const summary = useAudienceSummary();
  const nameMax = useSettings().data?.limits.nameMaxLength ?? 16;
  const [groupName, setGroupName] = useState('');
  const [scope, setScope] = useState<AudienceDto>({});
  const [tagName, setTagName] = useState('');
  const [expr, setExpr] = useState<Expr | undefined>(undefined);
  const [fields, setFields] = useState<TagFields>(fieldsOf());
  const exprKey = expr ? audienceKey(expr) : '';
  const targetKey = !target ? '' : target.mode === 'edit-tag' ? target.tag.tagId : target.mode === 'new-tag' ? `new:${target.group.groupId}` : 'new';

  useEffect(() => {
    setGroupName('');
    setScope({});
    setTagName(target?.mode === 'edit-tag' ? target.tag.name : '');
    setExpr(target?.mode === 'edit-tag' ? (target.tag.expression as Expr) : undefined);
    setFields(fieldsOf(target?.mode === 'edit-tag' ? target.tag : undefined));
    preview.reset();
  }, [targetKey]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => preview.reset(), [exprKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const tagId = target?.mode === 'edit-tag' ? target.tag.tagId : undefined;
  const runPreview = () => expr && preview.mutate({ tagId, expression: expr }, { onError: (e) => message.error(errorText(e)) });
  const saving = actions.create.isPending || actions.addTag.isPending || actions.updateTag.isPending;
  const ready = expr !== undefined && tagName.trim() !== '' && (target?.mode !== 'new-group' || groupName.trim() !== '');
  const save = async () => {
    if (!target || !expr) return;
    const tag = { name: tagName.trim(), expression: expr, ...changedFields(fieldsOf(), fields) };
    try {
      if (target.mode === 'new-group') await actions.create.mutateAsync({ name: groupName.trim(), scope: compactAudience(scope), tags: [tag] });
      else if (target.mode === 'new-tag') await actions.addTag.mutateAsync({ groupId: target.group.groupId, tag });
      else {
        const saved = target.tag;
        const changes = {
          ...(tag.name === saved.name ? {} : { name: tag.name }),
          ...(audienceKey(expr) === audienceKey(saved.expression as Expr) ? {} : { expression: expr }),
          ...changedFields(fieldsOf(saved), fields),
        };
        if (Object.keys(changes).length > 0) await actions.updateTag.mutateAsync({ groupId: target.group.groupId, tagId: saved.tagId, ...changes });
      }
      message.success(t('saved'));
      onClose();
    } catch (error) {
      message.error(errorText(error));
    }
  };
  const result = preview.data?.tags[0];
  const title = !target
    ? ''
    : target.mode === 'new-group'
      ? t('editor.newGroup')
      : target.mode === 'new-tag'
        ? t('editor.newTag', { group: target.group.name })
        : t('editor.editTag', { name: target.tag.name });

  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      title={title}
      width="min(1180px, 96vw)"
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={runPreview} disabled={!expr} loading={preview.isPending}>
            {t('editor.preview')}
          </Button>
          <Button type="primary" onClick={() => void save()} disabled={!ready} loading={saving}>
            {t('common:save')}
          </Button>
        </Space>
      }
    >
      {target && (
        <Form layout="vertical">
          <Row gutter={16}>
            {target.mode === 'new-group' && (
              <Col xs={24} md={8}>
                <Form.Item label={t('editor.groupName')} required>
                  <NameInput max={nameMax} aria-label={t('editor.groupName')} value={groupName} onChange={(e) => setGroupName(e.target.value)} />
                </Form.Item>
              </Col>
            )}
            <Col xs={24} md={8}>
              <Form.Item label={t('editor.tagName')} required>
                <NameInput max={nameMax} aria-label={t('editor.tagName')} value={tagName} onChange={(e) => setTagName(e.target.value)} />
              </Form.Item>
            </Col>
            <SmartTagFieldInputs value={fields} onChange={setFields} clearable={target.mode !== 'edit-tag' || !target.tag.color} />
          </Row>
          {target.mode === 'new-group' && (
            <Collapse
              size="small"
              style={{ marginBottom: 16 }}
              items={[
                {
                  key: 'scope',
                  label: t('scope.label', { who: summary(compactAudience(scope)) }),
                  children: <AudiencePicker label={t('scope.title')} value={scope} onChange={setScope} />,
                },
              ]}
            />
          )}
          <Form.Item label={t('editor.rule')} required>
            <AudienceEditor
              key={targetKey}
              initial={target.mode === 'edit-tag' ? (target.tag.expression as Expr) : undefined}
              choices={choices}
              onChange={setExpr}
            />
          </Form.Item>
          {result && (
            <Descriptions size="small" bordered column={3} title={t('editor.previewTitle')} data-testid="preview-result">
              <Descriptions.Item label={t('editor.members')}>{result.members.toLocaleString()}</Descriptions.Item>
              <Descriptions.Item label={t('editor.gain')}>
                <Typography.Text type="success">+{result.gain.toLocaleString()}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('editor.lose')}>
                <Typography.Text type="danger">−{result.lose.toLocaleString()}</Typography.Text>
              </Descriptions.Item>
            </Descriptions>
          )}
        </Form>
      )}
    </Drawer>
  );
}
