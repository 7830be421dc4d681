import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { wecomIdMap } from '../../db/schema/index.js';

/** What a mapped id names: a tag group or tag (enterprise or rule-group), or a rule group (strategy id as text). */
export type MappedKind = 'tag_group' | 'tag' | 'strategy';

/** The WeCom id of a local tag or group, or null when it was never pushed or pulled. */
export async function remoteIdOf(tx: Tx, corpId: string, kind: MappedKind, localId: string): Promise<string | null> {
  const [row] = await tx
    .select({ remoteId: wecomIdMap.remoteId })
    .from(wecomIdMap)
    .where(and(eq(wecomIdMap.corpId, corpId), eq(wecomIdMap.kind, kind), eq(wecomIdMap.localId, localId)));
  return row?.remoteId ?? null;
}

/** The local id of a WeCom tag or group, or null when it is not known here yet. */
export async function localIdOf(tx: Tx, corpId: string, kind: MappedKind, remoteId: string): Promise<string | null> {
  const [row] = await tx
    .select({ localId: wecomIdMap.localId })
    .from(wecomIdMap)
    .where(and(eq(wecomIdMap.corpId, corpId), eq(wecomIdMap.kind, kind), eq(wecomIdMap.remoteId, remoteId)));
  return row?.localId ?? null;
}

/** Every mapping of one kind, both ways (a pull of the whole library reads them once). */
export async function idMaps(tx: Tx, corpId: string, kind: MappedKind): Promise<{ toRemote: Map<string, string>; toLocal: Map<string, string> }> {
  const rows = await tx
    .select({ localId: wecomIdMap.localId, remoteId: wecomIdMap.remoteId })
    .from(wecomIdMap)
    .where(and(eq(wecomIdMap.corpId, corpId), eq(wecomIdMap.kind, kind)));
  return { toRemote: new Map(rows.map((r) => [r.localId, r.remoteId])), toLocal: new Map(rows.map((r) => [r.remoteId, r.localId])) };
}

/** Records that `localId` is `remoteId` in WeCom; a pair already recorded is left as is. */
export async function linkIds(tx: Tx, corpId: string, kind: MappedKind, localId: string, remoteId: string): Promise<void> {
  await tx.insert(wecomIdMap).values({ corpId, kind, localId, remoteId }).onConflictDoNothing();
}

/** Forgets the mapping of a local id (its tag was deleted on one side and the other followed). */
export async function unlinkLocal(tx: Tx, corpId: string, kind: MappedKind, localId: string): Promise<void> {
  await tx.delete(wecomIdMap).where(and(eq(wecomIdMap.corpId, corpId), eq(wecomIdMap.kind, kind), eq(wecomIdMap.localId, localId)));
}
