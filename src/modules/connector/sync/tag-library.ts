import { eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { personalTags, tagGroups, tags } from '../../../db/schema/index.js';
import { nameKey } from '../../../names/name-policy.js';
import { addTags } from '../../tags/commands/add-tags.js';
import { deleteTags } from '../../tags/commands/delete-tags.js';
import { updateTag } from '../../tags/commands/update-tag.js';
import { updateTagGroup } from '../../tags/commands/update-tag-group.js';
import type { TagGroupRow, TagRow } from '../../tags/tags.repo.js';
import { idMaps, linkIds, unlinkLocal } from '../id-map.js';
import { attempt } from './attempt.js';
import { pendingLibraryIds } from './pending-local.js';
import { emptyCounts, type RemoteTag, type RemoteTagGroup, type SyncCounts } from './types.js';

/** What the library sync reads once: the corp's enterprise groups and tags (live and deleted), the id maps, pending pushes. */
type LibraryState = {
  groups: Map<string, TagGroupRow>;
  tags: Map<string, TagRow>;
  usedIds: Set<string>;
  groupMap: { toRemote: Map<string, string>; toLocal: Map<string, string> };
  tagMap: { toRemote: Map<string, string>; toLocal: Map<string, string> };
  pending: Set<string>;
};

/**
 * Brings the enterprise tag library in line with WeCom's (get_corp_tag_list's `tag_group`s):
 * unknown groups and tags are created (with WeCom's id when it is free here) or, when a local
 * unmapped one has the same name, linked to it; mapped ones are renamed and reordered. With
 * `complete`, mapped tags and groups WeCom no longer has are deleted (and taken off every customer,
 * as a deletion here does). Tags never mapped are local and left alone: the push sends them. A
 * tag or group with a change waiting to be pushed keeps its local state (counted `keptLocal`).
 * Rule-group (strategy) groups are left to `applyRemoteStrategyLibrary` (sync/strategy-library.ts).
 */
export async function applyRemoteTagLibrary(ctx: TxCtx, groups: RemoteTagGroup[], opts: { complete: boolean }): Promise<SyncCounts> {
  return applyLibrary(
    ctx,
    groups.filter((g) => g.strategy_id === undefined).map((group) => ({ group, strategyId: null })),
    'corp',
    opts,
  );
}

/** One remote group with the local rule group it belongs to (null: an enterprise group). */
export type ScopedRemoteGroup = { group: RemoteTagGroup; strategyId: number | null };

/**
 * The library sync for one kind of group (enterprise, or rule-group with each group's local rule
 * group resolved by the caller): the same creation, linking, renaming, conflict rule and, with
 * `complete`, deletion of mapped groups and tags of that kind WeCom no longer has.
 */
export async function applyLibrary(ctx: TxCtx, groups: ScopedRemoteGroup[], kind: LibraryGroupKind, opts: { complete: boolean }): Promise<SyncCounts> {
  const counts = emptyCounts();
  const state = await loadState(ctx);
  const seenGroups = new Set<string>();
  const seenTags = new Set<string>();
  for (const { group, strategyId } of groups) {
    if (group.deleted) continue;
    const live = (group.tag ?? []).filter((t) => !t.deleted);
    seenGroups.add(group.group_id);
    for (const t of live) seenTags.add(t.id);
    await applyGroup(ctx, state, counts, { kind, strategyId }, group, live);
  }
  if (opts.complete) await deleteMissing(ctx, state, counts, kind, seenGroups, seenTags);
  return counts;
}

/** The kinds of group the library sync handles (smart groups are Tagloom's own). */
export type LibraryGroupKind = 'corp' | 'strategy';

/** Where a remote group lands here: its kind and, for a rule-group tag group, the local rule group. */
type Scope = { kind: LibraryGroupKind; strategyId: number | null };

async function loadState(ctx: TxCtx): Promise<LibraryState> {
  const groupRows = await ctx.tx.select().from(tagGroups).where(eq(tagGroups.corpId, ctx.corpId));
  const tagRows = await ctx.tx.select().from(tags).where(eq(tags.corpId, ctx.corpId));
  const personal = await ctx.tx.select({ tagId: personalTags.tagId }).from(personalTags).where(eq(personalTags.corpId, ctx.corpId));
  return {
    groups: new Map(groupRows.map((g) => [g.groupId, g])),
    tags: new Map(tagRows.map((t) => [t.tagId, t])),
    usedIds: new Set([...groupRows.map((g) => g.groupId), ...tagRows.map((t) => t.tagId), ...personal.map((p) => p.tagId)]),
    groupMap: await idMaps(ctx.tx, ctx.corpId, 'tag_group'),
    tagMap: await idMaps(ctx.tx, ctx.corpId, 'tag'),
    pending: await pendingLibraryIds(ctx),
  };
}

/** WeCom's id as the local id when nothing here uses it yet (ids then read the same on both sides). */
function freeId(state: LibraryState, remoteId: string): string | undefined {
  return state.usedIds.has(remoteId) || !/^[A-Za-z0-9_-]{1,64}$/.test(remoteId) ? undefined : remoteId;
}

async function link(ctx: TxCtx, state: LibraryState, kind: 'tag' | 'tag_group', localId: string, remoteId: string): Promise<void> {
  await linkIds(ctx.tx, ctx.corpId, kind, localId, remoteId);
  const map = kind === 'tag' ? state.tagMap : state.groupMap;
  map.toLocal.set(remoteId, localId);
  map.toRemote.set(localId, remoteId);
}

async function unlink(ctx: TxCtx, state: LibraryState, kind: 'tag' | 'tag_group', localId: string): Promise<void> {
  await unlinkLocal(ctx.tx, ctx.corpId, kind, localId);
  const map = kind === 'tag' ? state.tagMap : state.groupMap;
  const remoteId = map.toRemote.get(localId);
  map.toRemote.delete(localId);
  if (remoteId !== undefined) map.toLocal.delete(remoteId);
}

const isLiveGroupOf = (g: TagGroupRow | undefined, scope: Scope): g is TagGroupRow =>
  !!g && !g.deletedAt && g.kind === scope.kind && g.strategyId === scope.strategyId;

async function applyGroup(ctx: TxCtx, state: LibraryState, counts: SyncCounts, scope: Scope, remote: RemoteTagGroup, live: RemoteTag[]): Promise<void> {
  let localId = state.groupMap.toLocal.get(remote.group_id);
  if (localId !== undefined && !isLiveGroupOf(state.groups.get(localId), scope)) {
    // Deleted here: a deletion waiting to be pushed wins; otherwise WeCom's group comes back as new.
    if (state.pending.has(localId)) {
      counts.keptLocal += 1;
      return;
    }
    await unlink(ctx, state, 'tag_group', localId);
    localId = undefined;
  }
  if (localId === undefined) {
    const key = nameKey(remote.group_name);
    const same = [...state.groups.values()].find((g) => isLiveGroupOf(g, scope) && g.nameKey === key && !state.groupMap.toRemote.has(g.groupId));
    if (same) {
      await link(ctx, state, 'tag_group', same.groupId, remote.group_id);
      localId = same.groupId;
    }
  }
  if (localId === undefined) {
    await createGroup(ctx, state, counts, scope, remote, live);
    return;
  }
  const group = state.groups.get(localId)!;
  if (state.pending.has(localId)) counts.keptLocal += 1;
  else if (group.name !== remote.group_name || (remote.order !== undefined && group.order !== remote.order)) {
    const updated = await attempt(ctx, counts, `tag group ${remote.group_id}`, (c) =>
      updateTagGroup(c, { groupId: group.groupId, name: remote.group_name, order: remote.order, kind: scope.kind }),
    );
    if (updated) state.groups.set(updated.groupId, updated), (counts.updated += 1);
  }
  await applyTags(ctx, state, counts, scope, group.groupId, live);
}

async function createGroup(ctx: TxCtx, state: LibraryState, counts: SyncCounts, scope: Scope, remote: RemoteTagGroup, live: RemoteTag[]): Promise<void> {
  if (live.length === 0) return; // WeCom has no empty groups; one without live tags is going away
  const newGroupId = freeId(state, remote.group_id);
  const made = await attempt(ctx, counts, `tag group ${remote.group_id}`, (c) =>
    addTags(c, {
      groupName: remote.group_name,
      order: remote.order ?? 0,
      onExistingName: 'create',
      newGroupId,
      ...(scope.strategyId === null ? {} : { strategyId: scope.strategyId }),
      tags: newTags(state, live),
    }),
  );
  if (!made) return;
  state.groups.set(made.group.groupId, made.group);
  state.usedIds.add(made.group.groupId);
  await link(ctx, state, 'tag_group', made.group.groupId, remote.group_id);
  counts.created += 1;
  await linkCreated(ctx, state, counts, live, made.tags);
}

/** Remote tags as addTags input, each with WeCom's id when it is free here. */
function newTags(state: LibraryState, remote: RemoteTag[]) {
  return remote.map((t) => ({ name: t.name, order: t.order ?? 0, tagId: freeId(state, t.id) }));
}

/** Links each created tag to the remote tag it came from (by name: addTags folds look-alike names into one). */
async function linkCreated(ctx: TxCtx, state: LibraryState, counts: SyncCounts, remote: RemoteTag[], created: TagRow[]): Promise<void> {
  for (const tag of created) {
    state.tags.set(tag.tagId, tag);
    state.usedIds.add(tag.tagId);
    counts.created += 1;
  }
  for (const r of remote) {
    const tag = created.find((t) => t.nameKey === nameKey(r.name) && !state.tagMap.toRemote.has(t.tagId));
    if (tag) await link(ctx, state, 'tag', tag.tagId, r.id);
    else if (!state.tagMap.toLocal.has(r.id)) {
      counts.skipped += 1;
      counts.problems.push(`tag ${r.id}: its name looks the same as another tag of its group here`);
    }
  }
}

async function applyTags(ctx: TxCtx, state: LibraryState, counts: SyncCounts, scope: Scope, groupId: string, live: RemoteTag[]): Promise<void> {
  const toCreate: RemoteTag[] = [];
  for (const remote of live) {
    let localId = state.tagMap.toLocal.get(remote.id);
    const row = localId === undefined ? undefined : state.tags.get(localId);
    if (localId !== undefined && (!row || row.deletedAt || row.groupId !== groupId)) {
      if (state.pending.has(localId)) {
        counts.keptLocal += 1;
        continue;
      }
      await unlink(ctx, state, 'tag', localId);
      localId = undefined;
    }
    if (localId === undefined) {
      const key = nameKey(remote.name);
      const same = [...state.tags.values()].find((t) => t.groupId === groupId && !t.deletedAt && t.nameKey === key && !state.tagMap.toRemote.has(t.tagId));
      if (same) await link(ctx, state, 'tag', same.tagId, remote.id), (localId = same.tagId);
    }
    if (localId === undefined) {
      toCreate.push(remote);
      continue;
    }
    const tag = state.tags.get(localId)!;
    if (state.pending.has(localId)) {
      counts.keptLocal += 1;
      continue;
    }
    if (tag.name === remote.name && (remote.order === undefined || tag.order === remote.order)) continue;
    const updated = await attempt(ctx, counts, `tag ${remote.id}`, (c) =>
      updateTag(c, { tagId: tag.tagId, name: remote.name, order: remote.order, kind: scope.kind }),
    );
    if (updated) state.tags.set(updated.tagId, updated), (counts.updated += 1);
  }
  if (toCreate.length === 0) return;
  const made = await attempt(ctx, counts, `tags of group ${state.groupMap.toRemote.get(groupId)}`, (c) =>
    addTags(c, { groupId, ...(scope.strategyId === null ? {} : { strategyId: scope.strategyId }), tags: newTags(state, toCreate) }),
  );
  if (made) await linkCreated(ctx, state, counts, toCreate, made.tags);
}

/** With a complete library: deletes mapped tags and groups WeCom no longer has (unless a local change waits to be pushed). */
async function deleteMissing(
  ctx: TxCtx,
  state: LibraryState,
  counts: SyncCounts,
  kind: LibraryGroupKind,
  seenGroups: Set<string>,
  seenTags: Set<string>,
): Promise<void> {
  const tagIds: string[] = [];
  const groupIds: string[] = [];
  for (const [localId, remoteId] of [...state.tagMap.toRemote]) {
    if (seenTags.has(remoteId)) continue;
    const tag = state.tags.get(localId);
    const group = tag ? state.groups.get(tag.groupId) : undefined;
    if (!tag || tag.deletedAt) {
      // Gone on both sides: only the link is left to forget (unless a local change still refers to it).
      if (!state.pending.has(localId)) await unlink(ctx, state, 'tag', localId);
      continue;
    }
    if (group?.kind !== kind) continue;
    if (state.pending.has(localId) || state.pending.has(tag.groupId)) counts.keptLocal += 1;
    else tagIds.push(localId);
  }
  for (const [localId, remoteId] of [...state.groupMap.toRemote]) {
    if (seenGroups.has(remoteId)) continue;
    const group = state.groups.get(localId);
    if (!group || group.deletedAt) {
      if (!state.pending.has(localId)) await unlink(ctx, state, 'tag_group', localId);
      continue;
    }
    if (group.kind !== kind) continue;
    if (state.pending.has(localId)) counts.keptLocal += 1;
    else groupIds.push(localId);
  }
  if (tagIds.length === 0 && groupIds.length === 0) return;
  const done = await attempt(ctx, counts, 'deletions', (c) => deleteTags(c, { tagIds, groupIds, kind }));
  if (!done) return;
  counts.deleted += done.deletedTagIds.length + done.deletedGroupIds.length;
  for (const id of done.deletedTagIds) await unlink(ctx, state, 'tag', id);
  for (const id of done.deletedGroupIds) await unlink(ctx, state, 'tag_group', id);
}
