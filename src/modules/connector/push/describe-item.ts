import type { wecomPushQueue } from '../../../db/schema/index.js';

type Row = Pick<typeof wecomPushQueue.$inferSelect, 'op' | 'payload' | 'orderKey'>;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * A sentence for the console saying what a queued call does, naming tags, groups and customers
 * (by their current local names when known, else their ids), e.g.
 * `Mark 张三 (wm…) for zhangsan: add 高意向; remove 低意向`.
 */
export function describeItem(row: Row, names: Map<string, string>): string {
  const p = row.payload as Record<string, unknown>;
  const name = (id: string) => (names.has(id) ? `「${names.get(id)}」` : id);
  const list = (ids: string[]) => ids.map(name).join(', ');
  switch (row.op) {
    case 'mark_tag': {
      const customer = String(p.external_userid ?? row.orderKey);
      const who = names.has(customer) ? `${names.get(customer)} (${customer})` : customer;
      const parts = [
        strings(p.add_tag).length ? `add ${list(strings(p.add_tag))}` : '',
        strings(p.remove_tag).length ? `remove ${list(strings(p.remove_tag))}` : '',
      ];
      return `Mark ${who} for ${String(p.userid)}: ${parts.filter(Boolean).join('; ')}`;
    }
    case 'add_corp_tag': {
      const tags = (Array.isArray(p.tags) ? p.tags : []) as { name?: unknown }[];
      return `Create tags ${tags.map((t) => `「${String(t.name)}」`).join(', ')} in group 「${String(p.groupName)}」`;
    }
    case 'edit_corp_tag': {
      const id = String(p.tagId ?? p.groupId);
      const what = p.tagId ? 'tag' : 'tag group';
      const changes = [p.name !== undefined ? `rename to 「${String(p.name)}」` : '', p.order !== undefined ? `order ${String(p.order)}` : ''];
      return `Edit ${what} ${name(id)}: ${changes.filter(Boolean).join(', ')}`;
    }
    case 'del_corp_tag': {
      const parts = [
        strings(p.tagIds).length ? `tags ${list(strings(p.tagIds))}` : '',
        strings(p.groupIds).length ? `groups ${list(strings(p.groupIds))}` : '',
      ];
      return `Delete ${parts.filter(Boolean).join(' and ')}`;
    }
  }
  return row.op;
}
