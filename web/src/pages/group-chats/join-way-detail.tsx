import { Col, Descriptions, Drawer, Row, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type JoinWayDto, useJoinWayArrivals } from '../../api/group-chats.js';
import { CursorPager, useCursorPages } from '../../components/cursor-pager.js';
import { LocalQr } from '../../components/local-qr.js';
import { QueryState } from '../../components/query-state.js';
import { toShanghai } from '../contact-ways/campaign-window.js';

/** One join way: its QR code drawn here with a PNG download, and who joined through it (chats the viewer sees). */
export function JoinWayDetail({ way, chatName, onClose }: { way: JoinWayDto | null; chatName: (chatId: string) => string; onClose: () => void }) {
  const { t } = useTranslation('inputs');
  const pages = useCursorPages();
  const arrivals = useJoinWayArrivals(way?.configId, pages.cursor);
  return (
    <Drawer
      open={way !== null}
      onClose={() => {
        pages.reset();
        onClose();
      }}
      width="min(960px, 96vw)"
      title={t('joinWays.detailTitle', { name: way?.remark || way?.configId })}
      destroyOnHidden
    >
      {way && (
        <Row gutter={[24, 24]}>
          <Col xs={24} md={8} style={{ textAlign: 'center' }}>
            <LocalQr qrCode={way.qrCode} label={way.remark} fallbackName={way.configId} />
          </Col>
          <Col xs={24} md={16}>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('joinWays.field.state')}>{way.state || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('joinWays.field.chatIdList')}>{way.chatIdList.map(chatName).join('、')}</Descriptions.Item>
              <Descriptions.Item label={t('joinWays.field.autoCreateRoom')}>
                {way.autoCreateRoom ? (way.roomBaseName ? `${t('yes')} · ${way.roomBaseName} ${way.roomBaseId}` : t('yes')) : t('no')}
              </Descriptions.Item>
            </Descriptions>
          </Col>
          <Col span={24}>
            <Typography.Title level={5}>{t('arrivals.title', { count: arrivals.data?.total ?? 0 })}</Typography.Title>
            {!way.state && <Typography.Paragraph type="secondary">{t('arrivals.noState')}</Typography.Paragraph>}
            <QueryState query={arrivals} rows={3} />
            {arrivals.data && (
              <>
                <Table
                  rowKey={(a) => `${a.chatId}/${a.memberId}`}
                  size="small"
                  pagination={false}
                  dataSource={arrivals.data.arrivals}
                  locale={{ emptyText: t('arrivals.empty') }}
                  columns={[
                    { title: t('chats.col.member'), dataIndex: 'name', render: (name: string, a) => `${name || '—'} (${a.memberId})` },
                    {
                      title: t('chats.col.type'),
                      dataIndex: 'type',
                      render: (type: 'employee' | 'customer') => <Tag color={type === 'customer' ? 'green' : 'default'}>{t(`chats.memberType.${type}`)}</Tag>,
                    },
                    { title: t('chats.col.chat'), dataIndex: 'chatName', render: (name: string, a) => name || a.chatId },
                    { title: t('chats.col.joinTime'), dataIndex: 'joinTime', render: (at: string) => toShanghai(at) },
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
