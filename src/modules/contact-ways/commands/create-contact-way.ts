import { actorLabel, type TxCtx } from '../../../context.js';
import { type ContactWayRow, contactWays } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { randomToken } from '../../../ids.js';
import { policyFor } from '../../../policies/index.js';
import { checkContactWay } from '../check-contact-way.js';
import { type NewContactWay, withDefaults } from '../contact-way-input.js';
import { contactWayQrCode, presentWayForEvent } from '../contact-ways.repo.js';

/**
 * Creates a contact way (WeCom's add_contact_way and `POST /contact-ways`). Needs `rule.manage`:
 * a way with default tags tags every customer who comes in through it, the same power as a rule.
 * Nothing is written unless every field checks out.
 */
export async function createContactWay(ctx: TxCtx, input: NewContactWay): Promise<ContactWayRow> {
  const policy = await policyFor(ctx);
  policy.authorize('rule.manage');
  const fields = withDefaults(input);
  await checkContactWay(ctx, policy, fields);
  // WeCom's config ids are 32 opaque characters; `cw` keeps Tagloom's recognisable in logs.
  const configId = `cw${randomToken(30)}`;
  const now = new Date();
  const [row] = await ctx.tx
    .insert(contactWays)
    .values({
      corpId: ctx.corpId,
      configId,
      ...fields,
      qrCode: contactWayQrCode(configId, fields.scene),
      createdBy: actorLabel(ctx.actor),
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await recordEvent(ctx, { type: 'contact_way.created', subjectType: 'contact_way', subjectId: configId, after: presentWayForEvent(row!) });
  return row!;
}
