import { and, eq, isNull, type SQL } from 'drizzle-orm';
import { type Ctx, reader, type TxCtx } from '../../context.js';
import { type ContactWayRow, contactWays } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

/** The row of one way of the context's corp, live or deleted. */
export function wayKey(ctx: Ctx, configId: string): SQL {
  return and(eq(contactWays.corpId, ctx.corpId), eq(contactWays.configId, configId))!;
}

function notFound(configId: string): AppError {
  return new AppError('contact_way_not_found', { message: `invalid config_id: ${configId}`, details: [{ path: 'config_id', message: 'no such contact way' }] });
}

/** Locks a live way for a change; a deleted, unknown or other corp's way is `contact_way_not_found`. */
export async function lockContactWay(ctx: TxCtx, configId: string): Promise<ContactWayRow> {
  const [row] = await ctx.tx
    .select()
    .from(contactWays)
    .where(and(wayKey(ctx, configId), isNull(contactWays.deletedAt)))
    .for('update');
  if (!row) throw notFound(configId);
  return row;
}

/** Reads a live way; a deleted, unknown or other corp's way is `contact_way_not_found`. */
export async function findContactWay(ctx: Ctx | TxCtx, configId: string): Promise<ContactWayRow> {
  const [row] = await reader(ctx)
    .select()
    .from(contactWays)
    .where(and(wayKey(ctx, configId), isNull(contactWays.deletedAt)));
  if (!row) throw notFound(configId);
  return row;
}

/**
 * The `qr_code` a new way gets. Tagloom cannot mint WeCom's QR URLs, so a QR-code way (scene 2)
 * gets a Tagloom path naming it, which the console renders as a QR code; the connector (a later
 * issue) overwrites it with WeCom's own URL when it syncs the way. Mini-program ways have none.
 */
export function contactWayQrCode(configId: string, scene: number): string {
  return scene === 2 ? `/c/${configId}` : '';
}

/** A way's fields for the audit log's before / after (no personal data beyond userids). */
export function presentWayForEvent(row: ContactWayRow) {
  return {
    configId: row.configId,
    type: row.type,
    scene: row.scene,
    remark: row.remark,
    state: row.state,
    userids: row.userids,
    party: row.party,
    isTemp: row.isTemp,
    startsAt: row.startsAt?.toISOString() ?? null,
    endsAt: row.endsAt?.toISOString() ?? null,
    defaultTagIds: row.defaultTagIds,
  };
}
