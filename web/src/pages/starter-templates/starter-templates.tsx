import { AppstoreAddOutlined } from '@ant-design/icons';
import { App, Button, Card, Tag as Chip, Col, Modal, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { can, type MeDto } from '../../api/session.js';
import { type TagGroupDto, useTagLibraryActions } from '../../api/tags.js';
import { adopt, planAdoption } from './adopt-plan.js';
import { type StarterTemplate, starterTemplates } from './templates.js';

/** Below this many groups the library offers the templates inline; from it on, behind a button. */
export const fewGroups = 3;

/** The industry cards with their groups and tags, each adopted in one click. */
function TemplateGrid({ groups, onAdopted }: { groups: TagGroupDto[]; onAdopted?: () => void }) {
  const { t } = useTranslation('starters');
  const { notification } = App.useApp();
  const { createGroup } = useTagLibraryActions();
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (template: StarterTemplate) => {
    setBusy(template.id);
    const industry = t(`industry.${template.id}`);
    const plan = planAdoption(
      groups.map((g) => g.name),
      template.groups,
    );
    const outcome = await adopt(plan, (g) => createGroup.mutateAsync({ name: g.name, tags: g.tags.map((name) => ({ name })) }), errorText);
    setBusy(null);
    const lines = [
      outcome.skipped.length > 0 ? t('skipped', { count: outcome.skipped.length, names: outcome.skipped.join('、') }) : null,
      ...outcome.failed.map((f) => t('failed', { name: f.name, error: f.error })),
    ].filter((l): l is string => l !== null);
    const open = outcome.failed.length > 0 ? notification.warning : notification.success;
    open({
      message: t('adopted', { industry, count: outcome.created.length }),
      description: lines.length > 0 ? lines.map((l) => <div key={l}>{l}</div>) : undefined,
      duration: 10,
    });
    if (outcome.created.length > 0) onAdopted?.();
  };
  return (
    <Row gutter={[12, 12]}>
      {starterTemplates.map((template) => {
        const industry = t(`industry.${template.id}`);
        return (
          <Col key={template.id} xs={24} md={12} xl={8}>
            <Card
              size="small"
              title={industry}
              extra={
                <Button
                  type="primary"
                  size="small"
                  loading={busy === template.id}
                  disabled={busy !== null && busy !== template.id}
                  aria-label={t('adoptOf', { industry })}
                  onClick={() => void run(template)}
                >
                  {t('adopt')}
                </Button>
              }
            >
              {template.groups.map((g) => (
                <div key={g.name} style={{ marginBottom: 6 }}>
                  <Typography.Text strong style={{ marginRight: 8 }}>
                    {g.name}
                  </Typography.Text>
                  {g.tags.map((tag) => (
                    <Chip key={tag} style={{ marginBottom: 2 }}>
                      {tag}
                    </Chip>
                  ))}
                </div>
              ))}
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}

/**
 * On the tag library of a corp with few or no groups: the industry starter templates inline, so a
 * new corp starts from a sensible library in one click and edits it as usual. Only for users who
 * may create tag groups.
 */
export function StarterTemplatesPanel({ me, groups }: { me: MeDto; groups: TagGroupDto[] | undefined }) {
  const { t } = useTranslation('starters');
  if (!groups || groups.length >= fewGroups || !can(me, 'tagGroup.create')) return null;
  return (
    <Card title={t('title')}>
      <Typography.Paragraph type="secondary">{t('hint')}</Typography.Paragraph>
      <TemplateGrid groups={groups} />
    </Card>
  );
}

/** 从模板添加: the same templates from a button, once the library has grown past a few groups. */
export function StarterTemplatesButton({ me, groups }: { me: MeDto; groups: TagGroupDto[] | undefined }) {
  const { t } = useTranslation('starters');
  const [open, setOpen] = useState(false);
  if (!groups || groups.length < fewGroups || !can(me, 'tagGroup.create')) return null;
  return (
    <>
      <Button icon={<AppstoreAddOutlined />} onClick={() => setOpen(true)}>
        {t('fromTemplate')}
      </Button>
      <Modal open={open} title={t('title')} width={1100} footer={null} onCancel={() => setOpen(false)} destroyOnHidden>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">{t('hint')}</Typography.Text>
          <TemplateGrid groups={groups} onAdopted={() => setOpen(false)} />
        </Space>
      </Modal>
    </>
  );
}
