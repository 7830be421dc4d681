import { Button, Checkbox, Table, Typography, theme } from 'antd';
import type { ColumnsType, TableRef } from 'antd/es/table';
import { type HTMLAttributes, type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ListedCustomerDto } from '../../api/customer-list.js';
import { type Cursor, extendTo, isSelected, listKey, noCursor, pageState, pressKey, type Selection, toggle, togglePage } from './selection.js';
import { TagChipLite } from './tag-chip.js';

const rowHeight = 48;
// The columns' widths added up: the least width before the table scrolls sideways.
const tableWidth = 1028;
// Read by screen readers only: which row the keyboard is on.
const visuallyHidden = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' } as const;

/** The keyboard focus ring: a 2 px frame around the focused row, drawn inside its cells. */
function focusRing(color: string): string {
  const row = '.customer-list .ant-table-row[data-focused="true"] > .ant-table-cell';
  const edges = `inset 0 2px 0 ${color}, inset 0 -2px 0 ${color}`;
  return `${row} { box-shadow: ${edges}; } ${row}:first-child { box-shadow: inset 2px 0 0 ${color}, ${edges}; } ${row}:last-child { box-shadow: inset -2px 0 0 ${color}, ${edges}; }`;
}

/** Whether a key press belongs to a control inside the list (a checkbox, a button) rather than to the list. */
function fromControl(event: KeyboardEvent<HTMLElement>): boolean {
  const target = event.target as HTMLElement;
  return target !== event.currentTarget && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON'].includes(target.tagName));
}

/**
 * The customers as a virtualized table (antd's `virtual`: only the rows on screen are rendered, so
 * 5,000 rows scroll smoothly), with a checkbox per row where a click toggles and a shift-click
 * selects the range from the last clicked row. Scrolling near the end asks for the next page. The
 * list is one tab stop: ↑/↓ move a focus ring, Space toggles, Shift+↑/↓ extends, Ctrl/⌘+A selects
 * all matching and Enter opens the customer (the rules live in selection.ts).
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
  const { token } = theme.useToken();
  const table = useRef<TableRef>(null);
  const [cursor, setCursor] = useState<Cursor>(noCursor);
  const [focused, setFocused] = useState(false);
  const focusRow = rows.find((r) => r.externalUserid === cursor.focus);
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
        title: (
          <Checkbox
            aria-label={t('selectPage')}
            checked={state === 'all'}
            indeterminate={state === 'some'}
            onChange={() => onSelection(togglePage(selection, ids))}
          />
        ),
        render: (_, row) => (
          <Checkbox
            aria-label={t('selectRow', { name: row.name })}
            tabIndex={-1}
            checked={isSelected(selection, row.externalUserid)}
            onChange={(e) => {
              onSelection((e.nativeEvent as MouseEvent).shiftKey ? extendTo(selection, row.externalUserid, ids) : toggle(selection, row.externalUserid, ids));
              // The keyboard carries on from the clicked row.
              setCursor({ focus: row.externalUserid, range: null });
              box.current?.focus({ preventScroll: true });
            }}
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
          <Button type="link" size="small" tabIndex={-1} style={{ padding: 0 }} onClick={() => onOpen(row.externalUserid)}>
            {row.name || row.externalUserid}
          </Button>
        ),
      },
      { key: 'corp', title: t('column.corp'), dataIndex: 'corpName', width: 160, ellipsis: true },
      {
        key: 'region',
        title: t('column.region'),
        width: 120,
        ellipsis: true,
        render: (_, row) => [row.province, row.city].filter((v, i, all) => v && all.indexOf(v) === i).join(' · '),
      },
      {
        key: 'followers',
        title: t('column.followers'),
        width: 160,
        ellipsis: true,
        render: (_, row) => <span title={row.followers.map((f) => f.userid).join(', ')}>{row.followers.map((f) => f.name).join(', ')}</span>,
      },
      {
        key: 'tags',
        title: t('column.tags'),
        width: 360,
        render: (_, row) => (
          <div style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }} title={row.tags.map((tag) => tag.name).join(', ')}>
            {row.tags.map((tag) => (
              <TagChipLite
                key={tag.tagId}
                name={tag.name}
                personal={tag.kind === 'personal'}
                title={tag.groupName ? `${tag.groupName}/${tag.name}` : tag.name}
              />
            ))}
          </div>
        ),
      },
    );
    return cols;
  }, [ids, onOpen, onSelection, selectable, selection, state, t]);

  // The focused row stays on screen, and nearing the last loaded row asks for the next page.
  useEffect(() => {
    if (cursor.focus === null) return;
    table.current?.scrollTo({ key: cursor.focus, align: 'nearest' });
    if (ids.indexOf(cursor.focus) > ids.length - 20) props.onNearEnd();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new focus scrolls
  }, [cursor.focus]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const key = fromControl(event) ? null : listKey(event);
    if (!key || (!selectable && (key.name === 'space' || key.name === 'selectAll'))) return;
    event.preventDefault();
    if (key.name === 'open') {
      if (cursor.focus && ids.includes(cursor.focus)) onOpen(cursor.focus);
      return;
    }
    const next = pressKey({ selection, cursor }, selectable ? key : { ...key, shift: false }, ids);
    if (!next) return;
    setCursor(next.cursor);
    if (next.selection !== selection) onSelection(next.selection);
  };

  return (
    <div
      ref={box}
      tabIndex={0}
      role="group"
      aria-label={selectable ? t('keyboard.label') : t('keyboard.labelReadOnly')}
      data-testid="customer-list"
      onKeyDown={onKeyDown}
      onFocus={(event) => {
        setFocused(true);
        if (event.target === event.currentTarget && cursor.focus === null && ids.length > 0) setCursor({ focus: ids[0]!, range: null });
      }}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setFocused(false);
      }}
      className="customer-list"
      style={{ outline: 'none', position: 'relative' }}
    >
      {/* The focus ring is drawn on the cells, which paint over a ring on the row itself. */}
      <style>{focusRing(token.colorPrimary)}</style>
      <span aria-live="polite" style={visuallyHidden}>
        {focused && focusRow
          ? t(isSelected(selection, focusRow.externalUserid) ? 'keyboard.onSelected' : 'keyboard.on', { name: focusRow.name || focusRow.externalUserid })
          : ''}
      </span>
      <Table<ListedCustomerDto>
        ref={table}
        virtual
        size="small"
        rowKey="externalUserid"
        columns={columns}
        dataSource={rows}
        loading={props.loading}
        pagination={false}
        scroll={{ x: Math.max(tableWidth, boxWidth), y: props.height }}
        rowClassName={(row) => (isSelected(selection, row.externalUserid) ? 'ant-table-row-selected' : '')}
        onRow={(row) => (focused && row.externalUserid === cursor.focus ? ({ 'data-focused': 'true' } as HTMLAttributes<HTMLElement>) : {})}
        locale={{ emptyText: <Typography.Text type="secondary">{props.emptyText}</Typography.Text> }}
        onScroll={(e) => {
          const el = e.currentTarget;
          if (el.scrollHeight - el.scrollTop - el.clientHeight < rowHeight * 20) props.onNearEnd();
        }}
      />
    </div>
  );
}
