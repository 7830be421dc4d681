import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { TxCtx } from '../../context.js';
import { contactWays, tags } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { recordEvent } from '../../events/record.js';
import { markTags } from '../customers/commands/mark-tags.js';
import { insideWindow } from './contact-way-input.js';

/** A follow relation just created, with the `state` it was added with. */
export type Arrival = { userid: string; externalUserid: string; state: string; addTime: Date };

/**
 * Called by the commands that create follow relations: each one whose `state` names a live contact
 * way records `contact_way.customer_added` (the way's config_id and state, for `customer.added`
 * rules), and, when the add falls inside the way's campaign window, gets the way's default tags
 * through the ordinary mark command. The marks are made by the system actor
 * `contact-way:<config_id>` (their `created_by` names the way) with source `rule`: the way's author
 * was checked for `tag.apply` when the tags were set, and the customer's adder need not hold it.
 * Default tags deleted since are skipped (listed in the event), never an error that would refuse the add.
 */
export async function recordArrivals(ctx: TxCtx, arrivals: readonly Arrival[]): Promise<void> {
  const withState = arrivals.filter((a) => a.state !== '');
  if (withState.length === 0) return;
  const states = [...new Set(withState.map((a) => a.state))];
  const ways = await ctx.tx
    .select()
    .from(contactWays)
    .where(and(eq(contactWays.corpId, ctx.corpId), inArray(contactWays.state, states), isNull(contactWays.deletedAt)));
  if (ways.length === 0) return;
  const allTagIds = [...new Set(ways.flatMap((w) => w.defaultTagIds))];
  const live =
    allTagIds.length === 0
      ? []
      : await ctx.tx
          .select({ tagId: tags.tagId })
          .from(tags)
          .where(and(eq(tags.corpId, ctx.corpId), inArray(tags.tagId, allTagIds), isNull(tags.deletedAt)));
  const liveIds = new Set(live.map((t) => t.tagId));
  for (const arrival of withState) {
    const way = ways.find((w) => w.state === arrival.state);
    if (!way) continue;
    const inWindow = insideWindow(way, arrival.addTime);
    const toApply = inWindow ? way.defaultTagIds.filter((id) => liveIds.has(id)) : [];
    let applied: string[] = [];
    let failed: string | undefined;
    if (toApply.length > 0) {
      const wayCtx: TxCtx = { ...ctx, actor: { kind: 'system', name: `contact-way:${way.configId}` }, source: 'rule' };
      try {
        applied = (await markTags(wayCtx, { userid: arrival.userid, externalUserid: arrival.externalUserid, add: toApply })).added;
      } catch (error) {
        // markTags checks before it writes, so a refusal (a rule-group tag whose range leaves out
        // this member) leaves the transaction usable: the customer is still added, the event says why.
        if (!(error instanceof AppError)) throw error;
        failed = error.message;
      }
    }
    await recordEvent(ctx, {
      type: 'contact_way.customer_added',
      subjectType: 'follow',
      subjectId: `${arrival.userid}|${arrival.externalUserid}`,
      payload: {
        configId: way.configId,
        state: way.state,
        userid: arrival.userid,
        externalUserid: arrival.externalUserid,
        addTime: arrival.addTime.toISOString(),
        inWindow,
        defaultTagsApplied: applied,
        defaultTagsSkipped: inWindow ? way.defaultTagIds.filter((id) => !liveIds.has(id)) : way.defaultTagIds,
        ...(failed ? { defaultTagsFailed: failed } : {}),
      },
    });
  }
}
