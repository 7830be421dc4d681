import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/client.js';
import { momentDeliveries } from '../../db/schema/index.js';
import { apiClient } from '../../test/api.js';
import { appCtx, buildCorp, buildCustomer, buildEmployees, buildTagGroup } from '../../test/factories.js';

const hourMs = 3_600_000;

/** The next instant after the real clock at `hour:minute` in Asia/Shanghai (UTC+8). */
export function nextShanghai(hour: number, minute = 0): Date {
  const now = Date.now();
  const local = new Date(now + 8 * hourMs);
  let at = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hour, minute) - 8 * hourMs;
  while (at <= now) at += 24 * hourMs;
  return new Date(at);
}

/** `days` days before the real clock's Shanghai date, at `hour:15` Shanghai. */
export function daysAgoAt(days: number, hour: number): Date {
  const at = nextShanghai(hour, 15).getTime() - (days + 1) * 24 * hourMs;
  return new Date(at);
}

/**
 * A corp for Moments tests: two staff senders, tag groups 肤质 (敏感肌, 干皮) and 客户状态 (投诉客户),
 * and a helper making a customer followed by some senders and carrying some tags.
 */
export async function buildMomentScene(db: Db, app: () => FastifyInstance) {
  const corp = await buildCorp(db);
  const [s1, s2] = (await buildEmployees(corp.ctx, 2, 'staff')) as [string, string];
  const skin = await buildTagGroup(corp.ctx, ['敏感肌', '干皮'], '肤质');
  const state = await buildTagGroup(corp.ctx, ['投诉客户'], '客户状态');
  const tags = { sensitive: skin.tags[0]!.tagId, dry: skin.tags[1]!.tagId, complaint: state.tags[0]!.tagId };
  const api = apiClient(app, corp.secret);
  const customer = async (followers: string[], tagIds: string[] = []) => {
    const id = await buildCustomer(corp.ctx, followers);
    if (tagIds.length > 0) {
      const res = await api.post(`/customers/${id}/follows/${followers[0]}/tags`, { add: tagIds });
      if (res.status !== 200) throw new Error(`tagging failed: ${JSON.stringify(res.body)}`);
    }
    return id;
  };
  const deliveries = (momentId: string) =>
    db
      .select()
      .from(momentDeliveries)
      .where(and(eq(momentDeliveries.corpId, corp.corpId), eq(momentDeliveries.momentId, momentId)))
      .orderBy(asc(momentDeliveries.externalUserid));
  return { ...corp, ctx: appCtx(db, corp.corpId), s1, s2, tags, skinGroup: skin.group.groupId, api, customer, deliveries };
}
