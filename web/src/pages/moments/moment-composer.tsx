import { Alert, App, Button, Card, Col, Divider, Drawer, Form, Grid, Popconfirm, Row, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorText } from '../../api/client.js';
import { type MomentDto, useMomentActions, useMomentPreview, useMomentSettings } from '../../api/moments.js';
import { useDebounced } from '../../components/use-debounced.js';
import { AudienceEditor } from '../smart-groups/audience-editor.js';
import { useBuilderChoices } from '../smart-groups/builder-choices.js';
import type { Expr } from '../smart-groups/builder-model.js';
import { AttachmentFields, TextField, VariantFields } from './content-fields.js';
import { ScheduleFields, SenderFields } from './delivery-fields.js';
import { type Audiences, blankMoment, createBodyOf, type FieldPath, formOfMoment, type MomentFormValues, placeOfPath, previewBodyOf } from './moment-form.js';
import { CompactReductions, PreviewPanel } from './preview-panel.js';

/** What the composer is open for: a new post, a draft to finish, or a post copied into a new one. */
export type ComposerTarget = { mode: 'new' } | { mode: 'edit'; moment: MomentDto } | { mode: 'copy'; moment: MomentDto };

type Placed = { fields: { name: FieldPath; errors: string[] }[]; include?: string; exclude?: string };

/** The server's refusal split into errors on the form's fields and on the two audiences. */
function placeErrors(error: unknown): Placed {
  const placed: Placed = { fields: [] };
  if (!(error instanceof ApiError)) return placed;
  const byField = new Map<string, { name: FieldPath; errors: string[] }>();
  for (const detail of error.details) {
    const place = placeOfPath(detail.path);
    if (place === 'include' || place === 'exclude') placed[place] = detail.message;
    else if (place) {
      const entry = byField.get(place.join('.')) ?? { name: place, errors: [] };
      entry.errors.push(detail.message);
      byField.set(place.join('.'), entry);
    }
  }
  placed.fields = [...byField.values()];
  return placed;
}

/**
 * 发朋友圈: the words and attachments (with time-of-day variants), the senders, who it is for
 * (include) and who never gets it (exclude) with the audience editor, and when. The live preview
 * beside it shows every reduction as the author edits; a refusal lands on the field it names.
 */
export function MomentComposer({ target, onClose }: { target: ComposerTarget; onClose: () => void }) {
  const { t } = useTranslation('moments');
  const { message } = App.useApp();
  const [form] = Form.useForm<MomentFormValues>();
  const choices = useBuilderChoices();
  const actions = useMomentActions();
  const { settings } = useMomentSettings();
  const source = target.mode === 'new' ? undefined : target.moment;
  const initial = useMemo(() => (source ? formOfMoment(source) : { values: blankMoment(), audiences: {} as Audiences }), [source]);
  const [include, setInclude] = useState<Expr | undefined>(initial.audiences.include);
  const [exclude, setExclude] = useState<Expr | undefined>(initial.audiences.exclude);
  const [audienceErrors, setAudienceErrors] = useState<{ include?: string; exclude?: string }>({});
  const watched = Form.useWatch([], form) as MomentFormValues | undefined;
  const current = watched ? { ...initial.values, ...watched } : initial.values;
  const bodyJson = JSON.stringify(previewBodyOf(current, { include, exclude }));
  const settled = useDebounced(bodyJson, 400);
  // Counted from the first keystroke: the words can wait, the audience is what the operator sizes first.
  const preview = useMomentPreview(JSON.parse(settled) as ReturnType<typeof previewBodyOf>);
  const draftId = target.mode === 'edit' ? target.moment.momentId : undefined;
  const saving = actions.create.isPending || actions.update.isPending || actions.schedule.isPending;

  const refused = (error: unknown) => {
    const placed = placeErrors(error);
    form.setFields(placed.fields as Parameters<typeof form.setFields>[0]);
    setAudienceErrors({ include: placed.include, exclude: placed.exclude });
    message.error(placed.fields.length > 0 || placed.include || placed.exclude ? t('composer.fixFields') : errorText(error));
  };

  const save = async (draft: boolean) => {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    setAudienceErrors({});
    const values = { ...initial.values, ...(form.getFieldsValue(true) as MomentFormValues) };
    const body = createBodyOf(values, { include, exclude }, draft);
    try {
      if (draftId) {
        const { draft: _draft, ...changes } = body;
        await actions.update.mutateAsync({ momentId: draftId, ...changes });
        if (!draft) await actions.schedule.mutateAsync(draftId);
      } else await actions.create.mutateAsync(body);
      message.success(draft ? t('composer.savedDraft') : t('composer.published'));
      onClose();
    } catch (error) {
      refused(error);
    }
  };

  const remaining = preview.data?.counts.remaining;
  // On a narrow screen the preview sits below the long form: the footer keeps its numbers in sight.
  const wide = Grid.useBreakpoint().lg ?? true;
  return (
    <Drawer
      open
      onClose={onClose}
      title={target.mode === 'edit' ? t('composer.editTitle') : t('composer.newTitle')}
      size="min(1280px, 100vw)"
      destroyOnHidden
      footer={!wide && preview.data && <CompactReductions counts={preview.data.counts} />}
      extra={
        <Space wrap>
          <Button onClick={() => void save(true)} disabled={saving}>
            {t('composer.saveDraft')}
          </Button>
          <Popconfirm
            title={t('composer.publishConfirm', { count: remaining ?? 0 })}
            okText={t('composer.publish')}
            cancelText={t('common:cancel')}
            onConfirm={() => save(false)}
          >
            <Button type="primary" loading={saving}>
              {t('composer.publish')}
            </Button>
          </Popconfirm>
        </Space>
      }
    >
      <Row gutter={[24, 16]}>
        <Col xs={24} lg={15}>
          <Form form={form} layout="vertical" initialValues={initial.values}>
            <Divider titlePlacement="start">{t('composer.content')}</Divider>
            <TextField />
            <AttachmentFields />
            <Form.Item label={t('variants.title')} extra={t('variants.help')}>
              <VariantFields />
            </Form.Item>
            <Divider titlePlacement="start">{t('composer.audience')}</Divider>
            <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
              <Card size="small" title={t('composer.include')}>
                <Typography.Paragraph type="secondary">{t('composer.includeHelp')}</Typography.Paragraph>
                <AudienceEditor initial={initial.audiences.include} choices={choices} onChange={setInclude} />
                {audienceErrors.include && <Alert type="error" showIcon role="alert" style={{ marginTop: 8 }} title={audienceErrors.include} />}
              </Card>
              <Card size="small" title={t('composer.exclude')}>
                <Typography.Paragraph type="secondary">{t('composer.excludeHelp')}</Typography.Paragraph>
                <AudienceEditor initial={initial.audiences.exclude} choices={choices} onChange={setExclude} />
                {audienceErrors.exclude && <Alert type="error" showIcon role="alert" style={{ marginTop: 8 }} title={audienceErrors.exclude} />}
              </Card>
            </Space>
            <Divider titlePlacement="start">{t('composer.senders')}</Divider>
            <SenderFields />
            <Divider titlePlacement="start">{t('composer.when')}</Divider>
            <ScheduleFields settings={preview.data ? { ...settings, ...preview.data.settings } : settings} />
          </Form>
        </Col>
        <Col xs={24} lg={9}>
          <div style={{ position: 'sticky', top: 0 }}>
            <PreviewPanel preview={preview.data} fetching={preview.isFetching || settled !== bodyJson} error={preview.error} />
          </div>
        </Col>
      </Row>
    </Drawer>
  );
}
