import type { wecomPushQueue } from '../../../db/schema/index.js';

type Row = Pick<typeof wecomPushQueue.$inferSelect, 'op' | 'payload' | 'orderKey'>;

/**
 * What a queued call does, with tags, groups and customers named (by their current local names when
 * known, else their ids): the console words it in the reader's language, `summary` in English.
 */
export type PushDescription =
  | { action: 'mark'; customer: string; userid: string; add: string[]; remove: string[] }
  | { action: 'createTags'; tags: string[]; group: string }
  | { action: 'editTag' | 'editGroup'; target: string; rename: string | null; order: number | null }
  | { action: 'delete'; tags: string[]; groups: string[] }
  | { action: 'other'; op: string };

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The structured description of one queue row. */
export function describeItem(row: Row, names: Map<string, string>): PushDescription {
  const p = row.payload as Record<string, unknown>;
  const name = (id: string) => names.get(id) ?? id;
  switch (row.op) {
    case 'mark_tag': {
      const customer = String(p.external_userid ?? row.orderKey);
      const who = names.has(customer) ? `${names.get(customer)} (${customer})` : customer;
      return { action: 'mark', customer: who, userid: String(p.userid), add: strings(p.add_tag).map(name), remove: strings(p.remove_tag).map(name) };
    }
    case 'add_corp_tag': {
      const tags = (Array.isArray(p.tags) ? p.tags : []) as { name?: unknown }[];
      return { action: 'createTags', tags: tags.map((t) => String(t.name)), group: String(p.groupName) };
    }
    case 'edit_corp_tag':
      return {
        action: p.tagId ? 'editTag' : 'editGroup',
        target: name(String(p.tagId ?? p.groupId)),
        rename: p.name === undefined ? null : String(p.name),
        order: typeof p.order === 'number' ? p.order : null,
      };
    case 'del_corp_tag':
      return { action: 'delete', tags: strings(p.tagIds).map(name), groups: strings(p.groupIds).map(name) };
  }
  return { action: 'other', op: row.op };
}

const quoted = (xs: string[]) => xs.map((x) => `「${x}」`).join(', ');

/**
 * The description as one English sentence (the API's `summary`), e.g.
 * `Mark 张三 (wm…) for zhangsan: add 「高意向」; remove 「低意向」`.
 */
export function summarize(d: PushDescription): string {
  switch (d.action) {
    case 'mark': {
      const parts = [d.add.length ? `add ${quoted(d.add)}` : '', d.remove.length ? `remove ${quoted(d.remove)}` : ''];
      return `Mark ${d.customer} for ${d.userid}: ${parts.filter(Boolean).join('; ')}`;
    }
    case 'createTags':
      return `Create tags ${quoted(d.tags)} in group 「${d.group}」`;
    case 'editTag':
    case 'editGroup': {
      const changes = [d.rename !== null ? `rename to 「${d.rename}」` : '', d.order !== null ? `order ${d.order}` : ''];
      return `Edit ${d.action === 'editTag' ? 'tag' : 'tag group'} 「${d.target}」: ${changes.filter(Boolean).join(', ')}`;
    }
    case 'delete': {
      const parts = [d.tags.length ? `tags ${quoted(d.tags)}` : '', d.groups.length ? `groups ${quoted(d.groups)}` : ''];
      return `Delete ${parts.filter(Boolean).join(' and ')}`;
    }
    case 'other':
      return d.op;
  }
}
