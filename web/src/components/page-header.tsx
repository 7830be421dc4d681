import { Col, Row, Typography } from 'antd';
import type { ReactNode } from 'react';

/**
 * A page's title (its one heading) on the left and its actions on the right, wrapping on a narrow
 * screen; `intro`, when given, is the sentence under them saying what the page is for.
 */
export function PageHeader({ title, actions, intro }: { title: ReactNode; actions?: ReactNode; intro?: ReactNode }) {
  const header = (
    <Row justify="space-between" align="middle" gutter={[8, 8]}>
      <Col>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
      </Col>
      {actions && <Col>{actions}</Col>}
    </Row>
  );
  if (!intro) return header;
  return (
    <>
      {header}
      <Typography.Text type="secondary">{intro}</Typography.Text>
    </>
  );
}
