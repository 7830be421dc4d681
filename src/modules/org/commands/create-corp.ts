import { type Source, systemContext, type TxCtx, withTx } from '../../../context.js';
import type { Db } from '../../../db/client.js';
import { apps, type CorpSettings, corps } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { randomToken, sha256 } from '../../../ids.js';
import { checkName } from '../../../names/check-name.js';
import { namedThings } from '../../../names/named-things.js';

/** A new corp and the secret of its customer-contact app (shown once; only its hash is stored). */
export type CreatedCorp = { corpId: string; name: string; appId: string; secret: string };

/** What a corp starts with: its corpid, name, limits and (for the demo and tests) a chosen secret. */
export type NewCorp = { corpId: string; name: string; settings?: Partial<CorpSettings>; secret?: string };

/** A corpid as WeCom hands them out (`ww…`), or any short id of letters, digits, `_` and `-`. */
export const corpIdPattern = /^[A-Za-z0-9_-]{2,64}$/;

/**
 * Inserts a corp with its customer-contact app (WeCom's 客户联系 secret, full access) in the
 * caller's transaction, a `corp.created` and an `app.created` event. A taken corpid is `conflict`,
 * decided by the insert itself so two operators creating one corpid at once cannot both succeed.
 */
export async function insertCorp(ctx: TxCtx, input: NewCorp): Promise<CreatedCorp> {
  if (!corpIdPattern.test(input.corpId))
    throw new AppError('validation_failed', {
      message: `Bad corpid "${input.corpId}".`,
      details: [{ path: 'corpId', message: '2–64 letters, digits, _ or -' }],
    });
  const name = checkName(input.name, { ...namedThings.corp, path: 'name' });
  const secret = input.secret ?? randomToken(43);
  const appId = 'customer_contact';
  const inserted = await ctx.tx
    .insert(corps)
    .values({ corpId: input.corpId, name, settings: input.settings ?? {} })
    .onConflictDoNothing({ target: corps.corpId })
    .returning({ corpId: corps.corpId });
  if (inserted.length === 0)
    throw new AppError('conflict', { message: `A corp with corpid "${input.corpId}" exists.`, details: [{ path: 'corpId', message: 'taken' }] });
  await ctx.tx.insert(apps).values({ corpId: input.corpId, appId, name: '客户联系', kind: 'customer_contact', secretHash: sha256(secret) });
  await recordEvent(ctx, { type: 'corp.created', subjectType: 'corp', subjectId: input.corpId, after: { name, settings: input.settings ?? {} } });
  await recordEvent(ctx, { type: 'app.created', subjectType: 'app', subjectId: appId, after: { name: '客户联系', kind: 'customer_contact' } });
  return { corpId: input.corpId, name, appId, secret };
}

/**
 * Creates a corp with its customer-contact app in a transaction of its own. When no secret is
 * given a random 43-character one is made.
 */
export async function createCorp(db: Db, input: NewCorp & { source?: Source }): Promise<CreatedCorp> {
  return withTx(systemContext(db, input.corpId, 'setup', input.source ?? 'system'), (ctx) => insertCorp(ctx, input));
}
