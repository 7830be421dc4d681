import type { Db } from '../../../db/client.js';
import { momentSuppressions, moments } from '../../../db/schema/index.js';
import { unique } from '../../../test/factories.js';

/**
 * A post stored as the posts module would leave it (tests of interactions and suppression must not
 * depend on how posts are composed): scheduled by default, targeting the given tag groups (none =
 * a broadcast).
 */
export async function buildMoment(
  db: Db,
  corpId: string,
  opts: { status?: 'draft' | 'scheduled' | 'sent' | 'cancelled'; targetGroupIds?: string[]; text?: string } = {},
): Promise<string> {
  const momentId = unique('mo');
  const status = opts.status ?? 'scheduled';
  await db.insert(moments).values({
    corpId,
    momentId,
    status,
    text: opts.text ?? `新品上市${momentId}`,
    senders: { userids: [], departmentIds: [] },
    targetGroupIds: opts.targetGroupIds ?? [],
    schedule: { mode: 'now' },
    author: 'system:test',
    origin: 'api',
    scheduledAt: status === 'draft' ? null : new Date(),
  });
  return momentId;
}

/** A customer already on a group's suppression list, as the consumer would have left them. */
export async function buildSuppression(db: Db, corpId: string, groupId: string, externalUserid: string, momentIds: string[] = ['mo1', 'mo2', 'mo3']) {
  await db.insert(momentSuppressions).values({ corpId, groupId, externalUserid, momentIds });
}
