import { eq, sql } from 'drizzle-orm';
import type { SaveConnectorInput } from '../../../../contracts/connector.js';
import type { TxCtx } from '../../../context.js';
import { wecomConnections } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { type ConnectionRow, sealedPlace } from '../connection.js';
import type { SecretBox } from '../secret-box.js';

const defaultApiBase = 'https://qyapi.weixin.qq.com';

/**
 * Connects the corp to WeCom, or changes its connection: every secret is sealed with the server's
 * key before it is stored, and one left out keeps its saved value (the secret is required the
 * first time). A new corpid, secret or API base drops the cached access token. The
 * `connector.saved` event names which secrets changed, never their values.
 */
export async function saveConnection(ctx: TxCtx, box: SecretBox, input: SaveConnectorInput): Promise<ConnectionRow> {
  (await policyFor(ctx)).authorize('corp.settings');
  const [current] = await ctx.tx.select().from(wecomConnections).where(eq(wecomConnections.corpId, ctx.corpId)).for('update');
  if (!current && input.secret === undefined)
    throw new AppError('validation_failed', {
      message: 'The 客户联系 secret is required when first connecting.',
      details: [{ path: 'secret', message: 'required' }],
    });
  const seal = (value: string | undefined, place: string) => (value === undefined ? undefined : box.seal(value, place));
  const apiBase = input.apiBase ?? current?.apiBase ?? defaultApiBase;
  const credentialsChanged = !current || input.secret !== undefined || input.wecomCorpid !== current.wecomCorpid || apiBase !== current.apiBase;
  const values = {
    wecomCorpid: input.wecomCorpid,
    agentId: input.agentId === undefined ? (current?.agentId ?? null) : input.agentId,
    apiBase,
    pushEnabled: input.pushEnabled ?? current?.pushEnabled ?? false,
    secretSealed: seal(input.secret, sealedPlace.secret(ctx.corpId)) ?? current!.secretSealed,
    callbackTokenSealed: seal(input.callbackToken, sealedPlace.callbackToken(ctx.corpId)) ?? current?.callbackTokenSealed ?? null,
    aesKeySealed: seal(input.encodingAesKey, sealedPlace.aesKey(ctx.corpId)) ?? current?.aesKeySealed ?? null,
    ...(credentialsChanged ? { accessTokenSealed: null, tokenExpiresAt: null, jsapiTicketSealed: null, jsapiTicketExpiresAt: null } : {}),
    // Moves even within the same millisecond as the last save: the client cache keys on it.
    updatedAt: sql`greatest(now(), ${current?.updatedAt ?? new Date(0)}::timestamptz + interval '1 millisecond')`,
  };
  const [row] = current
    ? await ctx.tx.update(wecomConnections).set(values).where(eq(wecomConnections.corpId, ctx.corpId)).returning()
    : await ctx.tx
        .insert(wecomConnections)
        .values({ corpId: ctx.corpId, ...values })
        .returning();
  await recordEvent(ctx, {
    type: 'connector.saved',
    subjectType: 'corp',
    subjectId: ctx.corpId,
    payload: {
      wecomCorpid: row!.wecomCorpid,
      agentId: row!.agentId,
      apiBase: row!.apiBase,
      pushEnabled: row!.pushEnabled,
      first: !current,
      changedSecrets: [
        ...(input.secret !== undefined ? ['secret'] : []),
        ...(input.callbackToken !== undefined ? ['callbackToken'] : []),
        ...(input.encodingAesKey !== undefined ? ['encodingAesKey'] : []),
      ],
    },
  });
  return row!;
}

/**
 * Disconnects the corp from WeCom: the connection row (with every sealed secret) goes, with a
 * `connector.removed` event. The id map stays, so connecting again keeps the tags linked.
 */
export async function removeConnection(ctx: TxCtx): Promise<void> {
  (await policyFor(ctx)).authorize('corp.settings');
  const gone = await ctx.tx.delete(wecomConnections).where(eq(wecomConnections.corpId, ctx.corpId)).returning({ wecomCorpid: wecomConnections.wecomCorpid });
  if (gone.length === 0) throw new AppError('connector_not_configured');
  await recordEvent(ctx, { type: 'connector.removed', subjectType: 'corp', subjectId: ctx.corpId, payload: { wecomCorpid: gone[0]!.wecomCorpid } });
}
