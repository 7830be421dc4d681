import { and, eq, inArray } from 'drizzle-orm';
import { actorLabel, type TxCtx } from '../../../context.js';
import { marks, personalTags } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { newId } from '../../../ids.js';
import { nameKey, normalizeName } from '../../../names/name-policy.js';
import type { SyncCounts } from './types.js';

/**
 * The personal tags of one follow, made equal to WeCom's. WeCom names personal tags only (no API
 * gives their ids), so they are matched by name among the follower's own personal tags, and one
 * missing is created for the follower. Written here rather than through the personal-tag commands,
 * which act only for the owner signed in: the change comes from WeCom, recorded with the same
 * events (`personal_tag.created`, `follow.tags_changed`) under source `wecom-sync`.
 */
export async function syncPersonalMarks(
  ctx: TxCtx,
  counts: SyncCounts,
  externalUserid: string,
  owner: string,
  remote: { name: string; groupName: string }[],
  complete: boolean,
): Promise<void> {
  const wanted = new Map<string, { name: string; groupName: string }>();
  for (const t of remote) {
    const name = normalizeName(t.name);
    if (name !== '' && !wanted.has(nameKey(name))) wanted.set(nameKey(name), { name, groupName: normalizeName(t.groupName) });
  }
  const own = await ctx.tx
    .select()
    .from(personalTags)
    .where(and(eq(personalTags.corpId, ctx.corpId), eq(personalTags.ownerUserid, owner)));
  const byKey = new Map(own.map((p) => [p.nameKey, p.tagId]));
  for (const [key, t] of wanted) {
    if (byKey.has(key)) continue;
    const tagId = newId.personalTag();
    await ctx.tx.insert(personalTags).values({ corpId: ctx.corpId, tagId, ownerUserid: owner, name: t.name, nameKey: key, groupName: t.groupName });
    await recordEvent(ctx, {
      type: 'personal_tag.created',
      subjectType: 'personal_tag',
      subjectId: tagId,
      after: { name: t.name, groupName: t.groupName, owner },
    });
    byKey.set(key, tagId);
    counts.created += 1;
  }
  const wantedIds = new Set([...wanted.keys()].map((k) => byKey.get(k)!));
  const current = await ctx.tx
    .select({ tagId: marks.tagId })
    .from(marks)
    .where(and(eq(marks.corpId, ctx.corpId), eq(marks.externalUserid, externalUserid), eq(marks.userid, owner), eq(marks.personal, 1)));
  const have = new Set(current.map((m) => m.tagId));
  const add = [...wantedIds].filter((id) => !have.has(id));
  const remove = complete ? [...have].filter((id) => !wantedIds.has(id)) : [];
  if (add.length === 0 && remove.length === 0) return;
  if (add.length > 0) {
    await ctx.tx
      .insert(marks)
      .values(
        add.map((tagId) => ({
          corpId: ctx.corpId,
          externalUserid,
          userid: owner,
          tagId,
          personal: 1,
          source: 'wecom-sync' as const,
          createdBy: actorLabel(ctx.actor),
        })),
      )
      .onConflictDoNothing();
  }
  if (remove.length > 0) {
    await ctx.tx
      .delete(marks)
      .where(and(eq(marks.corpId, ctx.corpId), eq(marks.externalUserid, externalUserid), eq(marks.userid, owner), inArray(marks.tagId, remove)));
  }
  await recordEvent(ctx, {
    type: 'follow.tags_changed',
    subjectType: 'follow',
    subjectId: `${owner}|${externalUserid}`,
    payload: { userid: owner, externalUserid, added: add, removed: remove },
  });
  counts.marked += add.length;
  counts.unmarked += remove.length;
}
