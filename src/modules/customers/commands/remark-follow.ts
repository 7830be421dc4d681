import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { follows } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { lockFollow, type FollowRow } from '../follows.repo.js';

/** WeCom `remark` fields; left-out fields stay as they are. */
export type RemarkInput = {
  userid: string;
  externalUserid: string;
  remark?: string;
  description?: string;
  remarkCompany?: string;
  remarkMobiles?: string[];
};

const limits = { remark: 20, description: 150, remarkCompany: 20, remarkMobiles: 5 };

/** Edits an employee's remark, description, company and mobiles for one followed customer. */
export async function remarkFollow(ctx: TxCtx, input: RemarkInput): Promise<FollowRow> {
  const follow = await lockFollow(ctx, input.userid, input.externalUserid);
  (await policyFor(ctx)).authorize('customer.update', { type: 'follow', userid: follow.userid });
  const over = (['remark', 'description', 'remarkCompany'] as const).filter((k) => [...(input[k] ?? '')].length > limits[k]);
  if (over.length > 0 || (input.remarkMobiles?.length ?? 0) > limits.remarkMobiles) {
    throw new AppError('validation_failed', { message: 'A remark field is too long.', details: over.map((k) => ({ path: k, message: `longer than ${limits[k]} characters` })) });
  }
  if ([input.remark, input.description, input.remarkCompany, input.remarkMobiles].every((v) => v === undefined)) {
    throw new AppError('validation_failed', { message: 'Give at least one of remark, description, remark_company, remark_mobiles.' });
  }
  const [updated] = await ctx.tx
    .update(follows)
    .set({
      remark: input.remark ?? follow.remark,
      description: input.description ?? follow.description,
      remarkCorpName: input.remarkCompany ?? follow.remarkCorpName,
      remarkMobiles: input.remarkMobiles ?? follow.remarkMobiles,
    })
    .where(and(eq(follows.corpId, ctx.corpId), eq(follows.userid, follow.userid), eq(follows.externalUserid, follow.externalUserid)))
    .returning();
  const pick = (f: FollowRow) => ({ remark: f.remark, description: f.description, remarkCorpName: f.remarkCorpName, remarkMobiles: f.remarkMobiles });
  await recordEvent(ctx, { type: 'follow.remarked', subjectType: 'follow', subjectId: `${follow.userid}|${follow.externalUserid}`, before: pick(follow), after: pick(updated!) });
  return updated!;
}
