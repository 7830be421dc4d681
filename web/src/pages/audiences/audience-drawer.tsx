import { App, Button, Col, Collapse, Drawer, Form, Input, Row } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type SavedAudienceDto, useAudienceActions } from '../../api/audiences.js';
import { errorText } from '../../api/client.js';
import { NameInput } from '../../components/name-input.js';
import { AudienceEditor } from '../smart-groups/audience-editor.js';
import { useBuilderChoices } from '../smart-groups/builder-choices.js';
import { audienceKey, type Expr } from '../smart-groups/builder-model.js';
import { ExplainPanel } from './explain-panel.js';

/** What the drawer is open for: a new audience or a saved one. */
export type AudienceTarget = { mode: 'new' } | { mode: 'edit'; audience: SavedAudienceDto };

// The server's limits (src/names/named-things.ts): a name of 30 characters, a description of 200.
const nameMax = 30;
const descriptionMax = 200;

/**
 * The audience editor: name, description, and the rule built with the smart groups' condition
 * builder beside its text form with the live count; "why in / out" checks the rule on a customer
 * before saving. Mounted afresh for each audience opened, so it starts from what was saved.
 */
export function AudienceDrawer({ target, onClose }: { target: AudienceTarget; onClose: () => void }) {
  const choices = useBuilderChoices();
  const { t } = useTranslation('audiences');
  const { message } = App.useApp();
  const actions = useAudienceActions();
  const saved = target.mode === 'edit' ? target.audience : undefined;
  const initial = saved?.expression as Expr | undefined;
  const [name, setName] = useState(saved?.name ?? '');
  const [description, setDescription] = useState(saved?.description ?? '');
  const [expr, setExpr] = useState<Expr | undefined>(initial);
  const exprKey = useMemo(() => (expr ? audienceKey(expr) : undefined), [expr]);

  const save = async () => {
    if (!expr) return;
    try {
      if (!saved) await actions.create.mutateAsync({ name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}), expression: expr });
      else {
        const changes = {
          ...(name.trim() === saved.name ? {} : { name: name.trim() }),
          ...(description.trim() === saved.description ? {} : { description: description.trim() }),
          ...(exprKey === audienceKey(saved.expression as Expr) ? {} : { expression: expr }),
        };
        if (Object.keys(changes).length > 0) await actions.update.mutateAsync({ audienceId: saved.audienceId, ...changes });
      }
      message.success(t('saved'));
      onClose();
    } catch (error) {
      message.error(errorText(error));
    }
  };

  return (
    <Drawer
      open
      onClose={onClose}
      title={saved ? t('form.editTitle', { name: saved.name }) : t('form.newTitle')}
      width="min(1180px, 96vw)"
      extra={
        <Button
          type="primary"
          onClick={() => void save()}
          disabled={!expr || name.trim() === ''}
          loading={actions.create.isPending || actions.update.isPending}
        >
          {t('common:save')}
        </Button>
      }
    >
      <Form layout="vertical" onSubmitCapture={(e) => e.preventDefault()}>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item label={t('form.name')} htmlFor="audience-name" required>
              <NameInput id="audience-name" max={nameMax} value={name} onChange={(e) => setName(e.target.value)} placeholder={t('form.namePlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item label={t('form.description')} htmlFor="audience-description">
              <Input
                id="audience-description"
                maxLength={descriptionMax}
                showCount
                value={description}
                onChange={(e) => setDescription(e.target.value)}
                placeholder={t('form.descriptionPlaceholder')}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('form.rule')} required>
          <AudienceEditor initial={initial} choices={choices} onChange={setExpr} />
        </Form.Item>
      </Form>
      <Collapse
        size="small"
        items={[{ key: 'explain', label: t('explain.title'), children: <ExplainPanel idPrefix="editor" exprKey={exprKey} expression={expr} /> }]}
      />
    </Drawer>
  );
}
