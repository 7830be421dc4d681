import { Col, ColorPicker, Form, Input, InputNumber } from 'antd';
import { useTranslation } from 'react-i18next';

/** A smart tag's fields besides its name and rule: colour (#RRGGBB, none until picked), order, description. */
export type TagFields = { color?: string; order?: number; description: string };

/** The fields of a saved tag as the editor starts from them (a tag without a colour has ''). */
export function fieldsOf(tag?: { color: string; order: number; description: string }): TagFields {
  return tag ? { color: tag.color || undefined, order: tag.order, description: tag.description } : { description: '' };
}

/**
 * What changed between the saved fields and the edited ones, as the PATCH body takes them: only
 * changed fields, and a colour only when one is picked (the contract has no "no colour").
 */
export function changedFields(before: TagFields, after: TagFields): Partial<TagFields> {
  const changes: Partial<TagFields> = {};
  if (after.color !== undefined && after.color !== before.color) changes.color = after.color;
  if (after.order !== undefined && after.order !== before.order) changes.order = after.order;
  if (after.description.trim() !== before.description) changes.description = after.description.trim();
  return changes;
}

/**
 * Colour, order and description inputs of the smart tag editor, as columns of its first row, so
 * a new tag can be given them and a saved one changed without leaving the drawer.
 */
export function SmartTagFieldInputs({ value, onChange }: { value: TagFields; onChange: (value: TagFields) => void }) {
  const { t } = useTranslation('smart');
  return (
    <>
      <Col xs={12} md={4}>
        <Form.Item label={t('editor.color')}>
          <ColorPicker aria-label={t('editor.color')} value={value.color ?? null} format="hex" disabledAlpha allowClear showText onChange={(color) => onChange({ ...value, color: color.cleared ? undefined : color.toHexString().slice(0, 7).toLowerCase() })} onClear={() => onChange({ ...value, color: undefined })} />
        </Form.Item>
      </Col>
      <Col xs={12} md={4}>
        <Form.Item label={t('editor.order')} tooltip={t('editor.orderHelp')}>
          <InputNumber aria-label={t('editor.order')} min={0} precision={0} value={value.order ?? null} onChange={(order) => onChange({ ...value, order: order ?? undefined })} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item label={t('editor.description')}>
          <Input aria-label={t('editor.description')} maxLength={200} showCount value={value.description} onChange={(e) => onChange({ ...value, description: e.target.value })} />
        </Form.Item>
      </Col>
    </>
  );
}
