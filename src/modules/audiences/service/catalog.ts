import { and, eq, isNull } from 'drizzle-orm';
import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import { type Ctx, reader } from '../../../context.js';
import { personalTags, tagGroups, tags } from '../../../db/schema/index.js';
import { AppError, type ErrorDetail } from '../../../errors.js';
import { nameKey, normalizeName } from '../../../names/name-policy.js';
import { loadOrgSnapshot, type Policy, policyFor } from '../../../policies/index.js';
import type { EvalContext } from '../context.js';
import type { NameResolver, PrintOptions } from '../expression/index.js';
import { issuePath } from '../expression/validate.js';

/**
 * A tag an audience may name, with what the console shows for it; `key` and `groupKey` are the
 * name policy's keys of its name and its group's (src/names), which text resolves names by.
 */
export type CatalogTag = {
  tagId: string;
  name: string;
  key: string;
  groupId: string;
  groupName: string;
  groupKey: string;
  kind: 'corp' | 'strategy' | 'smart' | 'personal';
};

/** A group an audience may name. */
export type CatalogGroup = { groupId: string; name: string; key: string; kind: 'corp' | 'strategy' | 'smart'; tagIds: string[] };

/**
 * What one actor may put in an audience: the tags and groups they can see, plus their own personal
 * tags (an app or the system has none), and the evaluation context (live tag → group map, the
 * department tree, the clock).
 */
export type AudienceCatalog = {
  tags: Map<string, CatalogTag>;
  groups: Map<string, CatalogGroup>;
  personalOwner?: string;
  eval: EvalContext;
  policy: Policy;
};

/** Loads the actor's catalog: two small reads plus the cached org snapshot. */
export async function loadCatalog(ctx: Ctx, now = new Date()): Promise<AudienceCatalog> {
  const policy = await policyFor(ctx);
  const db = reader(ctx);
  const rows = await db
    .select({
      tagId: tags.tagId,
      name: tags.name,
      key: tags.nameKey,
      groupId: tagGroups.groupId,
      groupName: tagGroups.name,
      groupKey: tagGroups.nameKey,
      kind: tagGroups.kind,
      scope: tagGroups.scope,
      strategyId: tagGroups.strategyId,
    })
    .from(tags)
    .innerJoin(tagGroups, and(eq(tagGroups.corpId, tags.corpId), eq(tagGroups.groupId, tags.groupId)))
    .where(and(eq(tags.corpId, ctx.corpId), isNull(tags.deletedAt), isNull(tagGroups.deletedAt)));
  const catalog: AudienceCatalog = { tags: new Map(), groups: new Map(), eval: { now, tagGroups: new Map(), departmentParents: new Map() }, policy };
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
  const org = await loadOrgSnapshot(ctx);
  const parents = catalog.eval.departmentParents as Map<number, number>;
  for (const [id, d] of org.departments) parents.set(id, d.parentId);
  return catalog;
}

const keyOf = (name: string) => nameKey(normalizeName(name));

/**
 * Resolves names written in the text syntax: `看房` (any visible group), `客户等级/A级` (that group),
 * or a personal tag of the actor. Names match by what a person sees (`nameKey`: `tag:ＶＩＰ` is the
 * tag VIP). Several matches make the name ambiguous, none unknown.
 */
export function catalogResolver(catalog: AudienceCatalog): NameResolver {
  const all = [...catalog.tags.values()];
  return {
    tag: (ref) => {
      const [key, groupKey] = [keyOf(ref.name), ref.group === undefined ? undefined : keyOf(ref.group)];
      return all.filter((t) => t.key === key && (groupKey === undefined || t.groupKey === groupKey)).map((t) => t.tagId);
    },
    group: (name) => [...catalog.groups.values()].filter((g) => g.key === keyOf(name)).map((g) => g.groupId),
  };
}

/** Labels for printing an expression back with names (`tag:"客户等级/A级"`). */
export function catalogLabels(catalog: AudienceCatalog): PrintOptions {
  // Counted by key: a name that resolves to several tags is printed with its group.
  const names = new Map<string, number>();
  for (const t of catalog.tags.values()) names.set(t.key, (names.get(t.key) ?? 0) + 1);
  return {
    tagLabel: (id) => {
      const t = catalog.tags.get(id);
      if (!t) return undefined;
      return (names.get(t.key) ?? 0) > 1 && t.groupName ? `${t.groupName}/${t.name}` : t.name;
    },
    groupLabel: (id) => catalog.groups.get(id)?.name,
  };
}

/** The tag and group ids an expression names, with their paths (as validation errors spell them). */
export function references(e: Expr, path: (string | number)[] = []): { kind: 'tag' | 'group'; id: string; path: (string | number)[] }[] {
  if ('all' in e) return e.all.flatMap((c, i) => references(c, [...path, 'all', i]));
  if ('any' in e) return e.any.flatMap((c, i) => references(c, [...path, 'any', i]));
  if ('not' in e) return references(e.not, [...path, 'not']);
  if ('tag' in e) return [{ kind: 'tag', id: e.tag, path: [...path, 'tag'] }];
  if ('group' in e) return [{ kind: 'group', id: e.group.id, path: [...path, 'group', 'id'] }];
  return [];
}

/**
 * Refuses an expression naming a tag or group the actor cannot use: unknown, deleted, outside the
 * group's visibility, or somebody else's personal tag all read the same ("not found"), so the
 * answer does not reveal what exists. Every bad reference is listed.
 */
export function checkReferences(e: Expr, catalog: AudienceCatalog, prefix = 'body.expression'): void {
  const bad: ErrorDetail[] = references(e)
    .filter((r) => (r.kind === 'tag' ? !catalog.tags.has(r.id) : !catalog.groups.has(r.id)))
    .map((r) => ({ path: issuePath(r.path, prefix), message: `unknown ${r.kind} "${r.id}"` }));
  if (bad.length > 0)
    throw new AppError('tag_not_found', {
      message: `The expression names ${bad.length} unknown tag(s) or group(s): ${bad[0]!.message}.`,
      details: bad.slice(0, 50),
    });
}

/** Whether the expression uses personal tags (then only their owner may see or run it). */
export function usesPersonalTags(e: Expr, catalog: AudienceCatalog): boolean {
  return references(e).some((r) => r.kind === 'tag' && catalog.tags.get(r.id)?.kind === 'personal');
}
