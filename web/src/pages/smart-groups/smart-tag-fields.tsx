import { Button, Col, ColorPicker, Form, Input, InputNumber } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TagFields } from './tag-fields.js';

/**
 * Colour, order and description inputs of the smart tag editor, as columns of its first row, so
 * a new tag can be given them and a saved one changed without leaving the drawer. A saved colour
 * cannot be cleared (the API has no "no colour"), so only a colour not yet saved offers clearing.
 */
export function SmartTagFieldInputs({ value, onChange, clearable }: { value: TagFields; onChange: (value: TagFields) => void; clearable: boolean }) {
  const { t } = useTranslation('smart');
  return (
    <>
      <Col xs={12} md={4}>
        <Form.Item label={t('editor.color')}>
          <ColorPicker
            value={value.color ?? null}
            format="hex"
            disabledAlpha
            allowClear={clearable}
            onChange={(color) => onChange({ ...value, color: color.cleared ? undefined : color.toHexString().slice(0, 7).toLowerCase() })}
            onClear={() => onChange({ ...value, color: undefined })}
          >
            {/* A button as the trigger, so the keyboard reaches the picker and it has a label. */}
            <Button
              aria-label={`${t('editor.color')} ${value.color ?? t('editor.noColor')}`}
              icon={
                <span
                  style={{
                    display: 'inline-block',
                    width: 14,
                    height: 14,
                    borderRadius: 3,
                    background: value.color ?? 'transparent',
                    border: '1px solid #d9d9d9',
                  }}
                />
              }
            >
              {value.color ?? t('editor.noColor')}
            </Button>
          </ColorPicker>
        </Form.Item>
      </Col>
      <Col xs={12} md={4}>
        <Form.Item label={t('editor.order')} tooltip={t('editor.orderHelp')}>
          <InputNumber
            aria-label={t('editor.order')}
            min={0}
            precision={0}
            value={value.order ?? null}
            onChange={(order) => onChange({ ...value, order: order ?? undefined })}
            style={{ width: '100%' }}
          />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item label={t('editor.description')}>
          <Input
            aria-label={t('editor.description')}
            maxLength={200}
            showCount
            value={value.description}
            onChange={(e) => onChange({ ...value, description: e.target.value })}
          />
        </Form.Item>
      </Col>
    </>
  );
}
