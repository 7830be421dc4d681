import { Alert, Button, Descriptions, Drawer, Empty, List, Result, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { useCustomer } from '../../api/customers.js';
import { CustomerAudienceWhy } from '../audiences/customer-audience-why.js';
import { FollowNotes } from './follow-notes.js';
import { TagChip } from './tag-chip.js';
import { evidenceSentence, ruleLabel, type Translate } from './tag-evidence.js';
import { type OriginTag, originParts } from './tag-origin.js';
import { TransferModal } from './transfer-modal.js';

/**
 * One tag with the line telling who put it there, how (which batch, rule, import…) and when, and for
 * a rule-made tag the rule (name, version) and the event that made it fire, in the reader's language.
 */
function TagWithOrigin({ tag }: { tag: OriginTag }) {
  const { t, i18n } = useTranslation('customers');
  const o = originParts(tag);
  const unknown = t('detail.unknown');
  const how = o.operationKind
    ? t('detail.originOperation', { kind: t(`detail.kind.${o.operationKind}`, { defaultValue: o.operationKind }), id: o.operationId ?? '' })
    : o.source
      ? t(`detail.source.${o.source}`, { defaultValue: o.source })
      : unknown;
  const time = o.at ? new Date(o.at).toLocaleString(i18n.language) : unknown;
  const actor = /^(system|app):(.+)$/.exec(o.by ?? '');
  const by = actor ? t(`detail.actor.${actor[1]}`, { name: actor[2] }) : (o.by ?? unknown);
  const translate: Translate = (key, params) => t(key, params ?? {});
  const rule = tag.origin?.rule ? ruleLabel(tag.origin.rule, translate) : null;
  const evidence = tag.origin?.evidence ? evidenceSentence(tag.origin.evidence, translate) : null;
  return (
    <Space size={4} wrap>
      <TagChip name={tag.name} personal={tag.type === 'personal'} title={`${t(`detail.type.${tag.type}`)} · ${tag.groupName}/${tag.name}`} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('detail.origin', { by, how, time })}
      </Typography.Text>
      {rule || evidence ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="tag-evidence">
          {rule && evidence ? t('detail.evidence.because', { rule, evidence }) : (rule ?? evidence)}
        </Typography.Text>
      ) : null}
    </Space>
  );
}

/**
 * 客户详情: the customer's basics and attributes, then each follow relation (employee) with the
 * employee's notes (editable where allowed), a 转接给… hand-over where allowed, and its tags, each
 * tag saying where it came from — by hand, which batch, rule or import, and when.
 */
export function CustomerDrawer({ externalUserid, onClose }: { externalUserid: string | null; onClose: () => void }) {
  const { t, i18n } = useTranslation('customers');
  const customer = useCustomer(externalUserid);
  const c = customer.data;
  const attributes = Object.entries(c?.attributes ?? {});
  const [transferFrom, setTransferFrom] = useState<string | null>(null);
  return (
    <Drawer open={externalUserid !== null} onClose={onClose} title={c?.name ?? t('detail.title')} size="large">
      {customer.isPending && <Skeleton active paragraph={{ rows: 8 }} />}
      {customer.isError && (
        <Result
          status="error"
          title={t('common:loadFailed')}
          subTitle={errorText(customer.error)}
          extra={<Button onClick={() => void customer.refetch()}>{t('common:retry')}</Button>}
        />
      )}
      {c && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions title={t('detail.basics')} size="small" column={1} bordered>
            <Descriptions.Item label={t('detail.externalUserid')}>
              <Typography.Text copyable>{c.externalUserid}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.gender')}>{t(`detail.genders.${c.gender}`, { defaultValue: String(c.gender) })}</Descriptions.Item>
            <Descriptions.Item label={t('detail.corp')}>{c.corpFullName || c.corpName || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('detail.region')}>{[c.province, c.city].filter(Boolean).join(' · ') || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('detail.createdAt')}>{new Date(c.createdAt).toLocaleString(i18n.language)}</Descriptions.Item>
          </Descriptions>
          <div>
            <Typography.Title level={5}>{t('detail.attributes')}</Typography.Title>
            {attributes.length === 0 ? (
              <Typography.Text type="secondary">{t('detail.noAttributes')}</Typography.Text>
            ) : (
              <Descriptions size="small" column={1} bordered>
                {attributes.map(([key, value]) => (
                  <Descriptions.Item key={key} label={key}>
                    {typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value)}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            )}
          </div>
          <div>
            <Typography.Title level={5}>{t('detail.follows')}</Typography.Title>
            {c.follows.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
            <List
              dataSource={c.follows}
              rowKey="userid"
              renderItem={(f) => (
                <List.Item>
                  <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                    <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
                      <Typography.Text strong title={f.userid}>
                        {f.userName}
                        {f.remark ? ` (${f.remark})` : ''}
                        <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginInlineStart: 8 }}>
                          {t('detail.addedAt', { time: new Date(f.addTime).toLocaleDateString(i18n.language) })}
                        </Typography.Text>
                      </Typography.Text>
                      {f.abilities?.['customer.transfer'] === true && (
                        <Button size="small" onClick={() => setTransferFrom(f.userid)} aria-label={t('transfer.fromFollower', { name: f.userName })}>
                          {t('transfer.handOver')}
                        </Button>
                      )}
                    </Space>
                    <FollowNotes follow={f} />
                    {f.tags.length === 0 ? <Alert type="info" title={t('detail.noTags')} /> : f.tags.map((tag) => <TagWithOrigin key={tag.tagId} tag={tag} />)}
                  </Space>
                </List.Item>
              )}
            />
          </div>
          <CustomerAudienceWhy customer={c} />
        </Space>
      )}
      {c && transferFrom && (
        <TransferModal
          key={transferFrom}
          candidates={[{ externalUserid: c.externalUserid, name: c.name, followers: c.follows.map((f) => ({ userid: f.userid, name: f.userName })) }]}
          fixedHandover={transferFrom}
          onClose={() => setTransferFrom(null)}
        />
      )}
    </Drawer>
  );
}
