import { Tag as Chip, Empty, Input, List, Modal } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCustomerSearch } from '../api/customer-list.js';
import { can, type MeDto } from '../api/session.js';
import { useTagGroups } from '../api/tags.js';
import { pages } from '../pages/registry.js';
import { type JumpTarget, rankTargets, type Searchable, withCustomers } from './quick-jump-match.js';

type Initials = (text: string) => string;

/** pinyin-pro is large: it is loaded the first time the quick jump opens, not with the console. */
function usePinyinInitials(open: boolean): Initials | null {
  const [initials, setInitials] = useState<Initials | null>(null);
  useEffect(() => {
    if (!open || initials) return;
    void import('pinyin-pro').then(({ pinyin }) => {
      setInitials(() => (text: string) => pinyin(text, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toLowerCase());
    });
  }, [open, initials]);
  return initials;
}

/**
 * Ctrl/⌘+K: type part of a page, tag group or tag name (or its pinyin initials), or a customer's
 * name or its pinyin initials (searched on the server), and press Enter to go there, so nothing is ever more than a few
 * keystrokes away.
 */
export function QuickJump({ open, me, onClose }: { open: boolean; me: MeDto; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const groups = useTagGroups();
  const initialsOf = usePinyinInitials(open);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);

  const targets = useMemo<Searchable[]>(() => {
    const of = (target: JumpTarget): Searchable => ({ ...target, haystack: target.label.toLowerCase(), initials: initialsOf ? initialsOf(target.label) : '' });
    const out: Searchable[] = pages.filter((p) => p.visible(me)).map((p) => of({ key: p.path, label: t(p.titleKey), kind: 'page', path: p.path }));
    for (const group of groups.data ?? []) {
      out.push(of({ key: `g:${group.groupId}`, label: group.name, kind: 'group', path: `/tags?group=${group.groupId}` }));
      for (const tag of group.tags)
        out.push(of({ key: `t:${tag.tagId}`, label: tag.name, kind: 'tag', path: `/tags?group=${group.groupId}&tag=${tag.tagId}`, hint: group.name }));
    }
    return out;
  }, [groups.data, initialsOf, me, t]);
  // Customers are searched by name on the server, once the typing pauses.
  const [settled, setSettled] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSettled(query.trim()), 250);
    return () => clearTimeout(timer);
  }, [query]);
  const customers = useCustomerSearch(open && can(me, 'customer.view') ? settled : '');
  const results = withCustomers(rankTargets(targets, query), query.trim() === '' ? [] : (customers.data ?? []));

  const go = (target: JumpTarget | undefined) => {
    if (!target) return;
    navigate(target.path);
    setQuery('');
    onClose();
  };
  return (
    <Modal open={open} onCancel={onClose} footer={null} title={t('quickJump.title')} destroyOnHidden>
      <Input
        autoFocus
        aria-label={t('quickJump.placeholder')}
        placeholder={t('quickJump.placeholder')}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((i) => Math.min(i + 1, results.length - 1));
          if (e.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
          if (e.key === 'Enter') go(results[active]);
        }}
      />
      {results.length === 0 ? (
        <Empty description={t('quickJump.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <List
          size="small"
          dataSource={results}
          renderItem={(item, index) => (
            <List.Item
              key={item.key}
              onClick={() => go(item)}
              style={{ cursor: 'pointer', background: index === active ? '#e6f4ff' : undefined, paddingInline: 8 }}
            >
              <span>
                <Chip>{t(`quickJump.kind.${item.kind}`)}</Chip>
                {item.label}
              </span>
              {item.hint && <span style={{ color: '#999' }}>{item.hint}</span>}
            </List.Item>
          )}
        />
      )}
    </Modal>
  );
}
