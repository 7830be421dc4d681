import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import { type Ctx, reader } from '../../../context.js';
import { groupChats, personalTags } from '../../../db/schema/index.js';
import { AppError, type ErrorDetail } from '../../../errors.js';
import { nameKey, normalizeName } from '../../../names/name-policy.js';
import { loadOrgSnapshot, type Policy, policyFor } from '../../../policies/index.js';
import type { EvalContext } from '../context.js';
import type { NameResolver, PrintOptions } from '../expression/index.js';
import { issuePath } from '../expression/validate.js';
import { type CatalogTagRow, catalogTagRows } from './catalog-tags.js';

/**
 * A tag an audience may name, with what the console shows for it; `key` and `groupKey` are the
 * name policy's keys of its name and its group's (src/names), which text resolves names by.
 */
export type CatalogTag = Omit<CatalogTagRow, 'kind' | 'scope' | 'strategyId'> & { kind: CatalogTagRow['kind'] | 'personal' };

/** A group an audience may name. */
export type CatalogGroup = { groupId: string; name: string; key: string; kind: 'corp' | 'strategy' | 'smart'; tagIds: string[] };

/** A customer group chat an audience may name; `key` is the name policy's key of its name. */
export type CatalogChat = { chatId: string; name: string; key: string };

/**
 * What one actor may put in an audience: the tags and groups they can see, plus their own personal
 * tags (an app or the system has none), the group chats whose owner is in their data scope (as
 * the chat listing shows them), and the evaluation context (live tag → group map, the department
 * tree, the clock).
 */
export type AudienceCatalog = {
  tags: Map<string, CatalogTag>;
  groups: Map<string, CatalogGroup>;
  chats: Map<string, CatalogChat>;
  personalOwner?: string;
  eval: EvalContext;
  policy: Policy;
};

/** Loads the actor's catalog: the tag library cached per `tag_version`, two small reads, and the cached org snapshot. */
export async function loadCatalog(ctx: Ctx, now = new Date()): Promise<AudienceCatalog> {
  const policy = await policyFor(ctx);
  const db = reader(ctx);
  const rows = await catalogTagRows(ctx);
  const catalog: AudienceCatalog = {
    tags: new Map(),
    groups: new Map(),
    chats: new Map(),
    eval: { now, tagGroups: new Map(), departmentParents: new Map() },
    policy,
  };
  const tagGroupMap = catalog.eval.tagGroups as Map<string, string>;
  for (const r of rows) {
    // Every live tag counts for `group:G:all` semantics, but only visible groups may be named.
    tagGroupMap.set(r.tagId, r.groupId);
    if (!policy.canSeeGroup({ kind: r.kind, scope: r.scope, strategyId: r.strategyId })) continue;
    catalog.tags.set(r.tagId, { tagId: r.tagId, name: r.name, key: r.key, groupId: r.groupId, groupName: r.groupName, groupKey: r.groupKey, kind: r.kind });
    const group = catalog.groups.get(r.groupId) ?? { groupId: r.groupId, name: r.groupName, key: r.groupKey, kind: r.kind, tagIds: [] };
    group.tagIds.push(r.tagId);
    catalog.groups.set(r.groupId, group);
  }
  if (ctx.actor.kind === 'employee') {
    catalog.personalOwner = ctx.actor.userid;
    const own = await db
      .select({ tagId: personalTags.tagId, name: personalTags.name, key: personalTags.nameKey, groupName: personalTags.groupName })
      .from(personalTags)
      .where(and(eq(personalTags.corpId, ctx.corpId), eq(personalTags.ownerUserid, ctx.actor.userid)));
    for (const p of own)
      catalog.tags.set(p.tagId, {
        tagId: p.tagId,
        name: p.name,
        key: p.key,
        groupId: '',
        groupName: p.groupName,
        groupKey: keyOf(p.groupName),
        kind: 'personal',
      });
  }
  // The chat listing's rule: an owner in reach, or none (a chat whose owner left).
  const chatScope: SQL[] = [eq(groupChats.corpId, ctx.corpId)];
  if (policy.reach !== 'all') chatScope.push(inArray(groupChats.owner, [...policy.reach, '']));
  for (const c of await db
    .select({ chatId: groupChats.chatId, name: groupChats.name })
    .from(groupChats)
    .where(and(...chatScope)))
    catalog.chats.set(c.chatId, { chatId: c.chatId, name: c.name, key: keyOf(c.name) });
  const org = await loadOrgSnapshot(ctx);
  const parents = catalog.eval.departmentParents as Map<number, number>;
  for (const [id, d] of org.departments) parents.set(id, d.parentId);
  return catalog;
}

const keyOf = (name: string) => nameKey(normalizeName(name));

/**
 * Resolves names written in the text syntax: `看房` (any visible group), `客户等级/A级` (that group),
 * or a personal tag of the actor; a group chat by name (`groupchat:3月活动群`) or by id, which must
 * be one the actor sees. Names match by what a person sees (`nameKey`: `tag:ＶＩＰ` is the tag VIP).
 * Several matches make the name ambiguous, none unknown.
 */
export function catalogResolver(catalog: AudienceCatalog): NameResolver {
  const all = [...catalog.tags.values()];
  return {
    tag: (ref) => {
      const [key, groupKey] = [keyOf(ref.name), ref.group === undefined ? undefined : keyOf(ref.group)];
      return all.filter((t) => t.key === key && (groupKey === undefined || t.groupKey === groupKey)).map((t) => t.tagId);
    },
    group: (name) => [...catalog.groups.values()].filter((g) => g.key === keyOf(name)).map((g) => g.groupId),
    chat: (ref) => {
      if ('id' in ref) return catalog.chats.has(ref.id) ? [ref.id] : [];
      const key = keyOf(ref.name);
      const named = key === '' ? [] : [...catalog.chats.values()].filter((c) => c.key === key).map((c) => c.chatId);
      // A short id (not shaped like WeCom's wr…) written bare reads as a name; no chat by that name, it is the id.
      return named.length === 0 && catalog.chats.has(ref.name) ? [ref.name] : named;
    },
  };
}

/** Labels for printing an expression back with names (`tag:"客户等级/A级"`). */
export function catalogLabels(catalog: AudienceCatalog): PrintOptions {
  // Counted by key: a name that resolves to several tags is printed with its group.
  const names = new Map<string, number>();
  for (const t of catalog.tags.values()) names.set(t.key, (names.get(t.key) ?? 0) + 1);
  // A chat prints by name only when the name reads back as that one chat; otherwise by id.
  const chatNames = new Map<string, number>();
  for (const c of catalog.chats.values()) chatNames.set(c.key, (chatNames.get(c.key) ?? 0) + 1);
  return {
    tagLabel: (id) => {
      const t = catalog.tags.get(id);
      if (!t) return undefined;
      return (names.get(t.key) ?? 0) > 1 && t.groupName ? `${t.groupName}/${t.name}` : t.name;
    },
    groupLabel: (id) => catalog.groups.get(id)?.name,
    chatLabel: (id) => {
      const c = catalog.chats.get(id);
      return c && c.key !== '' && chatNames.get(c.key) === 1 ? c.name : undefined;
    },
  };
}

/** The tag, group and group chat ids an expression names, with their paths (as validation errors spell them). */
export function references(e: Expr, path: (string | number)[] = []): { kind: 'tag' | 'group' | 'chat'; id: string; path: (string | number)[] }[] {
  if ('all' in e) return e.all.flatMap((c, i) => references(c, [...path, 'all', i]));
  if ('any' in e) return e.any.flatMap((c, i) => references(c, [...path, 'any', i]));
  if ('not' in e) return references(e.not, [...path, 'not']);
  if ('tag' in e) return [{ kind: 'tag', id: e.tag, path: [...path, 'tag'] }];
  if ('group' in e) return [{ kind: 'group', id: e.group.id, path: [...path, 'group', 'id'] }];
  if ('groupChat' in e && e.groupChat.id !== undefined) return [{ kind: 'chat', id: e.groupChat.id, path: [...path, 'groupChat', 'id'] }];
  return [];
}

/**
 * Refuses an expression naming a tag or group the actor cannot use: unknown, deleted, outside the
 * group's visibility, or somebody else's personal tag all read the same ("not found"), so the
 * answer does not reveal what exists; then one naming a group chat they do not see
 * (`chat_not_found`). Every bad reference is listed at its path.
 */
export function checkReferences(e: Expr, catalog: AudienceCatalog, prefix = 'body.expression'): void {
  const refs = references(e);
  const bad: ErrorDetail[] = refs
    .filter((r) => (r.kind === 'tag' ? !catalog.tags.has(r.id) : r.kind === 'group' ? !catalog.groups.has(r.id) : false))
    .map((r) => ({ path: issuePath(r.path, prefix), message: `unknown ${r.kind} "${r.id}"` }));
  if (bad.length > 0)
    throw new AppError('tag_not_found', {
      message: `The expression names ${bad.length} unknown tag(s) or group(s): ${bad[0]!.message}.`,
      details: bad.slice(0, 50),
    });
  const badChats: ErrorDetail[] = refs
    .filter((r) => r.kind === 'chat' && !catalog.chats.has(r.id))
    .map((r) => ({ path: issuePath(r.path, prefix), message: `unknown group chat "${r.id}"` }));
  if (badChats.length > 0)
    throw new AppError('chat_not_found', {
      message: `The expression names ${badChats.length} unknown group chat(s): ${badChats[0]!.message}.`,
      details: badChats.slice(0, 50),
    });
}

/** Whether the expression uses personal tags (then only their owner may see or run it). */
export function usesPersonalTags(e: Expr, catalog: AudienceCatalog): boolean {
  return references(e).some((r) => r.kind === 'tag' && catalog.tags.get(r.id)?.kind === 'personal');
}
