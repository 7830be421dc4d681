import type { Db } from '../../../db/client.js';
import { apps, corps, type CorpSettings } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { randomToken, sha256 } from '../../../ids.js';
import { systemContext, withTx, type Source } from '../../../context.js';

/** A new corp and the secret of its customer-contact app (shown once; only its hash is stored). */
export type CreatedCorp = { corpId: string; appId: string; secret: string };

/**
 * Creates a corp with its customer-contact app (WeCom's 客户联系 secret, full access). When no
 * secret is given a random 43-character one is made.
 */
export async function createCorp(db: Db, input: { corpId: string; name: string; settings?: Partial<CorpSettings>; secret?: string; source?: Source }): Promise<CreatedCorp> {
  if (!/^[A-Za-z0-9_-]{2,64}$/.test(input.corpId)) throw new AppError('validation_failed', { message: `Bad corpid "${input.corpId}".` });
  const secret = input.secret ?? randomToken(43);
  const appId = 'customer_contact';
  return withTx(systemContext(db, input.corpId, 'setup', input.source ?? 'system'), async (ctx) => {
    await ctx.tx.insert(corps).values({ corpId: input.corpId, name: input.name, settings: input.settings ?? {} });
    await ctx.tx.insert(apps).values({ corpId: input.corpId, appId, name: '客户联系', kind: 'customer_contact', secretHash: sha256(secret) });
    await recordEvent(ctx, { type: 'corp.created', subjectType: 'corp', subjectId: input.corpId, after: { name: input.name, settings: input.settings ?? {} } });
    await recordEvent(ctx, { type: 'app.created', subjectType: 'app', subjectId: appId, after: { name: '客户联系', kind: 'customer_contact' } });
    return { corpId: input.corpId, appId, secret };
  });
}
