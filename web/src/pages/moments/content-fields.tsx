import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Form, Input, InputNumber, Radio, Row, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { momentLimits } from '../../../../contracts/moments.js';
import { type AttachmentKind, charCount } from './moment-form.js';

const textCount = { show: true, max: momentLimits.textMax, strategy: charCount };

/** The post's words with the 2,000-character counter (an emoji counts once, as WeCom counts it). */
export function TextField() {
  const { t } = useTranslation('moments');
  return (
    <Form.Item name="text" label={t('composer.text')} extra={t('composer.textHelp')}>
      <Input.TextArea aria-label={t('composer.text')} count={textCount} autoSize={{ minRows: 4, maxRows: 10 }} />
    </Form.Item>
  );
}

/** A media id and where to see it, for one image or the video. */
function MediaRow({ name, label }: { name: (string | number)[]; label: string }) {
  const { t } = useTranslation('moments');
  return (
    <Row gutter={8} style={{ flex: 1 }}>
      <Col xs={24} md={10}>
        <Form.Item name={[...name, 'mediaId']} rules={[{ required: true, whitespace: true, message: t('composer.required') }]} style={{ marginBottom: 8 }}>
          <Input aria-label={`${label} ${t('composer.mediaId')}`} placeholder={t('composer.mediaId')} maxLength={128} />
        </Form.Item>
      </Col>
      <Col xs={24} md={14}>
        <Form.Item name={[...name, 'url']} rules={[{ type: 'url', message: t('composer.badUrl') }]} style={{ marginBottom: 8 }}>
          <Input aria-label={`${label} ${t('composer.mediaUrl')}`} placeholder={t('composer.mediaUrl')} />
        </Form.Item>
      </Col>
    </Row>
  );
}

/**
 * Attachments as references (Tagloom hosts no media): up to 9 images, or 1 video, or 1 link,
 * chosen by kind so a wrong mix cannot be entered.
 */
export function AttachmentFields() {
  const { t } = useTranslation('moments');
  const kind = Form.useWatch('attachmentKind') as AttachmentKind | undefined;
  return (
    <>
      <Form.Item name="attachmentKind" label={t('composer.attachments')} extra={t('composer.attachmentsHelp')}>
        <Radio.Group
          aria-label={t('composer.attachments')}
          optionType="button"
          options={(['none', 'image', 'video', 'link'] as const).map((k) => ({ value: k, label: t(`attachment.${k}`) }))}
        />
      </Form.Item>
      {kind === 'image' && (
        <Form.List name="images">
          {(rows, { add, remove }) => (
            <Space orientation="vertical" style={{ width: '100%', marginBottom: 16 }}>
              {rows.map((row, i) => (
                <Space key={row.key} align="start" style={{ width: '100%' }}>
                  <MediaRow name={[row.name]} label={t('composer.imageN', { n: i + 1 })} />
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label={t('composer.removeImage', { n: i + 1 })}
                    disabled={rows.length === 1}
                    onClick={() => remove(row.name)}
                  />
                </Space>
              ))}
              <Button icon={<PlusOutlined />} disabled={rows.length >= momentLimits.imagesMax} onClick={() => add({ mediaId: '' })}>
                {t('composer.addImage', { left: momentLimits.imagesMax - rows.length })}
              </Button>
            </Space>
          )}
        </Form.List>
      )}
      {kind === 'video' && (
        <div style={{ marginBottom: 16 }}>
          <MediaRow name={['video']} label={t('attachment.video')} />
        </div>
      )}
      {kind === 'link' && (
        <Row gutter={8}>
          <Col xs={24} md={8}>
            <Form.Item name={['link', 'title']} label={t('composer.linkTitle')}>
              <Input aria-label={t('composer.linkTitle')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item
              name={['link', 'url']}
              label={t('composer.linkUrl')}
              rules={[
                { required: true, message: t('composer.required') },
                { type: 'url', message: t('composer.badUrl') },
              ]}
            >
              <Input aria-label={t('composer.linkUrl')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item
              name={['link', 'mediaId']}
              label={t('composer.linkCover')}
              rules={[{ required: true, whitespace: true, message: t('composer.required') }]}
            >
              <Input aria-label={t('composer.linkCover')} />
            </Form.Item>
          </Col>
        </Row>
      )}
    </>
  );
}

/**
 * Time-of-day variants: customers most active in a slot get that slot's words instead of the
 * main ones, and analytics compare the versions.
 */
export function VariantFields() {
  const { t } = useTranslation('moments');
  return (
    <Form.List name="variants">
      {(rows, { add, remove }) => (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {rows.map((row, i) => (
            <Card
              key={row.key}
              size="small"
              title={t('variants.n', { n: i + 1 })}
              extra={<Button type="text" icon={<DeleteOutlined />} aria-label={t('variants.remove', { n: i + 1 })} onClick={() => remove(row.name)} />}
            >
              <Row gutter={8}>
                <Col xs={24} md={10}>
                  <Form.Item
                    name={[row.name, 'label']}
                    label={t('variants.label')}
                    rules={[{ required: true, whitespace: true, message: t('composer.required') }]}
                  >
                    <Input aria-label={t('variants.labelOf', { n: i + 1 })} maxLength={20} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={7}>
                  <Form.Item name={[row.name, 'fromHour']} label={t('variants.from')}>
                    <InputNumber aria-label={t('variants.fromOf', { n: i + 1 })} min={0} max={23} precision={0} suffix={t('variants.hour')} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={7}>
                  <Form.Item name={[row.name, 'toHour']} label={t('variants.to')}>
                    <InputNumber aria-label={t('variants.toOf', { n: i + 1 })} min={1} max={24} precision={0} suffix={t('variants.hour')} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name={[row.name, 'text']} label={t('variants.text')} style={{ marginBottom: 0 }}>
                <Input.TextArea aria-label={t('variants.textOf', { n: i + 1 })} count={textCount} autoSize={{ minRows: 2, maxRows: 6 }} />
              </Form.Item>
            </Card>
          ))}
          <Button
            icon={<PlusOutlined />}
            disabled={rows.length >= momentLimits.variantsMax}
            onClick={() =>
              add(rows.length === 0 ? { label: t('variants.morning'), fromHour: 6, toHour: 12 } : { label: t('variants.evening'), fromHour: 18, toHour: 24 })
            }
          >
            {t('variants.add')}
          </Button>
        </Space>
      )}
    </Form.List>
  );
}
