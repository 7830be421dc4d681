import { Col, Row, Typography } from 'antd';
import type { ReactNode } from 'react';

/** A page's title (its one heading) on the left and its actions on the right, wrapping on a narrow screen. */
export function PageHeader({ title, actions }: { title: ReactNode; actions?: ReactNode }) {
  return (
    <Row justify="space-between" align="middle" gutter={[8, 8]}>
      <Col>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
      </Col>
      {actions && <Col>{actions}</Col>}
    </Row>
  );
}
