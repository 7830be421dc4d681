import { sql } from 'drizzle-orm';
import { actorLabel, type TxCtx } from '../../../../context.js';
import { queryRows } from '../../../../db/client.js';
import { AppError } from '../../../../errors.js';
import { recordEvent } from '../../../../events/record.js';
import { policyFor } from '../../../../policies/index.js';
import { bumpMomentVersion } from '../../moment-settings.js';
import { visibleGroups } from '../suppressions.queries.js';

/**
 * Takes a customer off a tag group's suppression list (an admin's "let them see these posts
 * again"). The row stays, lifted, so the audit trail keeps why it existed; a later streak of
 * "not interested" suppresses again. Needs `moment.publish`, the group in sight and the customer
 * in reach; anything else, or a customer not suppressed, is `not_found`.
 */
export async function liftSuppression(ctx: TxCtx, key: { groupId: string; externalUserid: string }): Promise<void> {
  const policy = await policyFor(ctx);
  policy.authorize('moment.publish');
  const notSuppressed = () =>
    new AppError('not_found', {
      message: `Customer ${key.externalUserid} is not on the suppression list of tag group ${key.groupId}.`,
      details: [{ path: 'params', message: 'not suppressed' }],
    });
  if (!(await visibleGroups(ctx, policy)).has(key.groupId)) throw notSuppressed();
  const [row] = await queryRows<{ moment_ids: string[]; created_at: Date | string; followers: string[] }>(
    ctx.tx,
    sql`
    select s.moment_ids, s.created_at,
      array(select f.userid from follows f where f.corp_id = s.corp_id and f.external_userid = s.external_userid) as followers
    from moment_suppressions s
    where s.corp_id = ${ctx.corpId} and s.group_id = ${key.groupId} and s.external_userid = ${key.externalUserid} and s.lifted_at is null
    for update of s`,
  );
  if (!row || !(policy.reach === 'all' || row.followers.some((u) => policy.reaches(u)))) throw notSuppressed();
  await ctx.tx.execute(sql`
    update moment_suppressions set lifted_at = now(), lifted_by = ${actorLabel(ctx.actor)}
    where corp_id = ${ctx.corpId} and group_id = ${key.groupId} and external_userid = ${key.externalUserid}`);
  await recordEvent(ctx, {
    type: 'moment.suppression_lifted',
    subjectType: 'customer',
    subjectId: key.externalUserid,
    before: { momentIds: row.moment_ids, since: new Date(row.created_at).toISOString() },
    payload: { groupId: key.groupId, externalUserid: key.externalUserid, momentIds: row.moment_ids },
  });
  await bumpMomentVersion(ctx);
}
