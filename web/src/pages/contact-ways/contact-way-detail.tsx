import { Col, Descriptions, Drawer, Row, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type ContactWayDto, useContactWayArrivals } from '../../api/contact-ways.js';
import { CursorPager, useCursorPages } from '../../components/cursor-pager.js';
import { LocalQr } from '../../components/local-qr.js';
import { QueryState } from '../../components/query-state.js';
import { toShanghai } from './campaign-window.js';

/**
 * One contact way: its QR code drawn here (with a PNG download) and who came in through it —
 * customers whose follow carries its `state`, newest first, on the relations the viewer reaches.
 */
export function ContactWayDetail({ way, names, onClose }: { way: ContactWayDto | null; names: (userid: string) => string; onClose: () => void }) {
  const { t } = useTranslation('inputs');
  const pages = useCursorPages();
  const arrivals = useContactWayArrivals(way?.configId, pages.cursor);
  return (
    <Drawer
      open={way !== null}
      onClose={() => {
        pages.reset();
        onClose();
      }}
      width="min(960px, 96vw)"
      title={t('contactWays.detailTitle', { name: way?.remark || way?.configId })}
      destroyOnHidden
    >
      {way && (
        <Row gutter={[24, 24]}>
          <Col xs={24} md={8} style={{ textAlign: 'center' }}>
            <LocalQr qrCode={way.qrCode} label={way.remark} fallbackName={way.configId} />
          </Col>
          <Col xs={24} md={16}>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('contactWays.field.state')}>{way.state || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('contactWays.field.userids')}>{way.userids.map(names).join('、') || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('contactWays.col.window')}>
                {way.startsAt ? toShanghai(way.startsAt) : t('contactWays.window.noStart')} →{' '}
                {way.endsAt ? toShanghai(way.endsAt) : t('contactWays.window.noEnd')}
              </Descriptions.Item>
            </Descriptions>
          </Col>
          <Col span={24}>
            <Typography.Title level={5}>{t('arrivals.title', { count: arrivals.data?.total ?? way.customers })}</Typography.Title>
            {!way.state && <Typography.Paragraph type="secondary">{t('arrivals.noState')}</Typography.Paragraph>}
            <QueryState query={arrivals} rows={3} />
            {arrivals.data && (
              <>
                <Table
                  rowKey={(a) => `${a.externalUserid}/${a.userid}`}
                  size="small"
                  pagination={false}
                  dataSource={arrivals.data.arrivals}
                  locale={{ emptyText: t('arrivals.empty') }}
                  columns={[
                    { title: t('arrivals.col.customer'), dataIndex: 'name', render: (name: string, a) => `${name || '—'} (${a.externalUserid})` },
                    { title: t('arrivals.col.employee'), dataIndex: 'userid', render: (userid: string) => names(userid) },
                    { title: t('arrivals.col.addTime'), dataIndex: 'addTime', render: (at: string) => toShanghai(at) },
                  ]}
                />
                <div style={{ marginTop: 8 }}>
                  <CursorPager pages={pages} nextCursor={arrivals.data.nextCursor} />
                </div>
              </>
            )}
          </Col>
        </Row>
      )}
    </Drawer>
  );
}
