import { Button, Checkbox, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ListedCustomerDto } from '../../api/customer-list.js';
import { TagChipLite } from './tag-chip.js';
import { extendTo, isSelected, pageState, toggle, togglePage, type Selection } from './selection.js';

const rowHeight = 48;
// The columns' widths added up: the least width before the table scrolls sideways.
const tableWidth = 1028;

/**
 * The customers as a virtualized table (antd's `virtual`: only the rows on screen are rendered, so
 * 5,000 rows scroll smoothly), with a checkbox per row where a click toggles and a shift-click
 * selects the range from the last clicked row. Scrolling near the end asks for the next page.
 */
export function CustomerTable(props: {
  rows: ListedCustomerDto[];
  loading: boolean;
  selectable: boolean;
  selection: Selection;
  onSelection: (next: Selection) => void;
  onOpen: (externalUserid: string) => void;
  onNearEnd: () => void;
  height: number;
  emptyText: string;
}) {
  const { t } = useTranslation('customers');
  const { rows, selection, onSelection, onOpen, selectable } = props;
  const ids = useMemo(() => rows.map((r) => r.externalUserid), [rows]);
  const state = pageState(selection, ids);
  // A virtual table lays its rows out at exactly scroll.x: make that the box's width when it is wider,
  // so the rows fill it and line up with the header.
  const box = useRef<HTMLDivElement>(null);
  const [boxWidth, setBoxWidth] = useState(tableWidth);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setBoxWidth(Math.floor(el.clientWidth)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const columns = useMemo<ColumnsType<ListedCustomerDto>>(() => {
    const cols: ColumnsType<ListedCustomerDto> = [];
    if (selectable) {
      cols.push({
        key: 'select',
        width: 48,
        fixed: 'left',
        title: <Checkbox aria-label={t('selectPage')} checked={state === 'all'} indeterminate={state === 'some'} onChange={() => onSelection(togglePage(selection, ids))} />,
        render: (_, row) => (
          <Checkbox
            aria-label={t('selectRow', { name: row.name })}
            checked={isSelected(selection, row.externalUserid)}
            onChange={(e) => onSelection((e.nativeEvent as MouseEvent).shiftKey ? extendTo(selection, row.externalUserid, ids) : toggle(selection, row.externalUserid, ids))}
          />
        ),
      });
    }
    cols.push(
      {
        key: 'name',
        title: t('column.name'),
        width: 180,
        ellipsis: true,
        render: (_, row) => (
          <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onOpen(row.externalUserid)}>
            {row.name || row.externalUserid}
          </Button>
        ),
      },
      { key: 'corp', title: t('column.corp'), dataIndex: 'corpName', width: 160, ellipsis: true },
      { key: 'region', title: t('column.region'), width: 120, ellipsis: true, render: (_, row) => [row.province, row.city].filter((v, i, all) => v && all.indexOf(v) === i).join(' · ') },
      { key: 'followers', title: t('column.followers'), width: 160, ellipsis: true, render: (_, row) => <span title={row.followers.map((f) => f.userid).join(', ')}>{row.followers.map((f) => f.name).join(', ')}</span> },
      {
        key: 'tags',
        title: t('column.tags'),
        width: 360,
        render: (_, row) => (
          <div style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }} title={row.tags.map((tag) => tag.name).join(', ')}>
            {row.tags.map((tag) => (
              <TagChipLite key={tag.tagId} name={tag.name} personal={tag.kind === 'personal'} title={tag.groupName ? `${tag.groupName}/${tag.name}` : tag.name} />
            ))}
          </div>
        ),
      },
    );
    return cols;
  }, [ids, onOpen, onSelection, selectable, selection, state, t]);

  return (
    <div ref={box}>
    <Table<ListedCustomerDto>
      virtual
      size="small"
      rowKey="externalUserid"
      columns={columns}
      dataSource={rows}
      loading={props.loading}
      pagination={false}
      scroll={{ x: Math.max(tableWidth, boxWidth), y: props.height }}
      rowClassName={(row) => (isSelected(selection, row.externalUserid) ? 'ant-table-row-selected' : '')}
      locale={{ emptyText: <Typography.Text type="secondary">{props.emptyText}</Typography.Text> }}
      onScroll={(e) => {
        const el = e.currentTarget;
        if (el.scrollHeight - el.scrollTop - el.clientHeight < rowHeight * 20) props.onNearEnd();
      }}
    />
    </div>
  );
}
