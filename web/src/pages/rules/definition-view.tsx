import { Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RuleDefinition } from '../../../../contracts/rules.js';
import { useTagGroups } from '../../api/tags.js';
import { tagsTouched } from './rule-form.js';
import { useTagNames } from './tag-names.js';

/** A saved definition read-only: its trigger kind, the tags its actions touch by name, and the definition as stored. */
export function DefinitionView({ definition }: { definition: RuleDefinition }) {
  const { t } = useTranslation('tagRules');
  const names = useTagNames(useTagGroups().data);
  const touched = tagsTouched(definition);
  return (
    <>
      <Descriptions size="small" bordered column={1} style={{ marginBottom: 8 }}>
        <Descriptions.Item label={t('col.trigger')}>{t(`kind.${definition.trigger.kind}`)}</Descriptions.Item>
        <Descriptions.Item label={t('col.tags')}>{[...touched.tagIds.map(names), ...touched.templates].join('、') || '—'}</Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph>
        <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 12 }} data-testid="version-definition">
          {JSON.stringify(definition, null, 2)}
        </pre>
      </Typography.Paragraph>
    </>
  );
}
