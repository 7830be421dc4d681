import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Paging over an API that hands out opaque `nextCursor`s: the cursors of the pages already seen
 * are kept, so "previous" goes back without the server knowing about it.
 */
export function useCursorPages() {
  const [trail, setTrail] = useState<string[]>([]);
  return {
    cursor: trail.at(-1),
    page: trail.length + 1,
    next: (cursor: string) => setTrail((t) => [...t, cursor]),
    previous: () => setTrail((t) => t.slice(0, -1)),
    reset: () => setTrail([]),
  };
}

/** Previous / next buttons for `useCursorPages`, labelled for a screen reader. */
export function CursorPager({ pages, nextCursor }: { pages: ReturnType<typeof useCursorPages>; nextCursor: string | null | undefined }) {
  const { t } = useTranslation('inputs');
  if (pages.page === 1 && !nextCursor) return null;
  return (
    <Space>
      <Button size="small" icon={<LeftOutlined />} disabled={pages.page === 1} onClick={pages.previous} aria-label={t('pager.previous')} />
      <span>{t('pager.page', { page: pages.page })}</span>
      <Button size="small" icon={<RightOutlined />} disabled={!nextCursor} onClick={() => nextCursor && pages.next(nextCursor)} aria-label={t('pager.next')} />
    </Space>
  );
}
