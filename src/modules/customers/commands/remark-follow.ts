import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { follows } from '../../../db/schema/index.js';
import { AppError, type ErrorDetail } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { checkOptionalName, checkText } from '../../../names/check-name.js';
import { describedThings } from '../../../names/named-things.js';
import { policyFor } from '../../../policies/index.js';
import { type FollowRow, lockFollow } from '../follows.repo.js';

/** WeCom `remark` fields; left-out fields stay as they are. */
export type RemarkInput = {
  userid: string;
  externalUserid: string;
  remark?: string;
  description?: string;
  remarkCompany?: string;
  remarkMobiles?: string[];
};

const maxMobiles = 5;

/**
 * The remark fields held to the name policy (src/names): the remark and the company are names the
 * employee gives (empty clears them; blank, invisible-only or with control characters is refused),
 * the description is free text (line breaks allowed).
 */
function checkRemarkFields(input: RemarkInput): Pick<RemarkInput, 'remark' | 'description' | 'remarkCompany'> {
  const details: ErrorDetail[] = [];
  const checked = <T>(check: () => T): T | undefined => {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      details.push(...(error.details ?? []));
      return undefined;
    }
  };
  const out = {
    remark: checked(() => checkOptionalName(input.remark, { ...describedThings.remark, path: 'remark', allowEmpty: true })),
    description: checked(() => checkText(input.description, { ...describedThings.remarkDescription, path: 'description' })),
    remarkCompany: checked(() => checkOptionalName(input.remarkCompany, { ...describedThings.remarkCompany, path: 'remarkCompany', allowEmpty: true })),
  };
  if ((input.remarkMobiles?.length ?? 0) > maxMobiles) details.push({ path: 'remarkMobiles', message: `more than ${maxMobiles} mobiles` });
  if (details.length > 0) throw new AppError('validation_failed', { message: 'A remark field is not valid.', details });
  return out;
}

/** Edits an employee's remark, description, company and mobiles for one followed customer. */
export async function remarkFollow(ctx: TxCtx, input: RemarkInput): Promise<FollowRow> {
  const follow = await lockFollow(ctx, input.userid, input.externalUserid);
  (await policyFor(ctx)).authorize('customer.update', { type: 'follow', userid: follow.userid });
  const fields = checkRemarkFields(input);
  if ([input.remark, input.description, input.remarkCompany, input.remarkMobiles].every((v) => v === undefined)) {
    throw new AppError('validation_failed', { message: 'Give at least one of remark, description, remark_company, remark_mobiles.' });
  }
  const [updated] = await ctx.tx
    .update(follows)
    .set({
      remark: fields.remark ?? follow.remark,
      description: fields.description ?? follow.description,
      remarkCorpName: fields.remarkCompany ?? follow.remarkCorpName,
      remarkMobiles: input.remarkMobiles ?? follow.remarkMobiles,
    })
    .where(and(eq(follows.corpId, ctx.corpId), eq(follows.userid, follow.userid), eq(follows.externalUserid, follow.externalUserid)))
    .returning();
  const pick = (f: FollowRow) => ({ remark: f.remark, description: f.description, remarkCorpName: f.remarkCorpName, remarkMobiles: f.remarkMobiles });
  await recordEvent(ctx, {
    type: 'follow.remarked',
    subjectType: 'follow',
    subjectId: `${follow.userid}|${follow.externalUserid}`,
    before: pick(follow),
    after: pick(updated!),
  });
  return updated!;
}
