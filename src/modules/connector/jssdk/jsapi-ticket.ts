import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { wecomConnections } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { type ConnectionRow, connectionClient, sealedPlace } from '../connection.js';
import { requireSecretBox, type SecretBox } from '../secret-box.js';
import { WecomError } from '../wecom-client.js';

// A ticket is renewed this long before WeCom says it expires, so a page never signs with a dying one.
const renewMarginMs = 5 * 60_000;

/**
 * The corp's `agent_config` JS-SDK ticket: the one sealed on the connection row while it is fresh
 * (every process shares it; WeCom limits how often a ticket may be fetched), else a new one from
 * `ticket/get?type=agent_config`, sealed back with its expiry. A WeCom refusal is
 * `wecom_upstream_failed` with WeCom's errcode and errmsg.
 */
export async function agentConfigTicket(db: Db, box: SecretBox | null, row: ConnectionRow, now = new Date()): Promise<string> {
  const sealer = requireSecretBox(box);
  const place = sealedPlace.jsapiTicket(row.corpId);
  if (row.jsapiTicketSealed && row.jsapiTicketExpiresAt && row.jsapiTicketExpiresAt.getTime() - renewMarginMs > now.getTime()) {
    return sealer.open(row.jsapiTicketSealed, place);
  }
  let answer: Awaited<ReturnType<Awaited<ReturnType<typeof connectionClient>>['call']>>;
  try {
    const client = await connectionClient(db, sealer, row.corpId, { row });
    answer = await client.call('ticket/get', undefined, { type: 'agent_config' });
  } catch (error) {
    if (error instanceof WecomError) {
      throw new AppError('wecom_upstream_failed', { message: `WeCom refused the JS-SDK ticket: ${error.errcode} ${error.errmsg}`, cause: error });
    }
    throw error;
  }
  const ticket = String(answer.ticket ?? '');
  if (!ticket) throw new AppError('wecom_upstream_failed', { message: 'WeCom answered ticket/get without a ticket.' });
  const expiresAt = new Date(now.getTime() + Number(answer.expires_in ?? 7200) * 1000);
  await db
    .update(wecomConnections)
    .set({ jsapiTicketSealed: sealer.seal(ticket, place), jsapiTicketExpiresAt: expiresAt })
    .where(eq(wecomConnections.corpId, row.corpId));
  return ticket;
}
