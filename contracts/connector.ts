import { z } from 'zod';
import { Timestamp } from './common.js';

// ---- input ----

/** `PUT /connector`: the connection to WeCom. Secrets left out keep their saved value (the secret is required the first time). */
export const SaveConnectorBody = z.strictObject({
  wecomCorpid: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a WeCom corpid: 1–64 letters, digits, _ or -')
    .meta({ description: 'The corp id WeCom shows in 我的企业 (ww…).' }),
  secret: z
    .string()
    .regex(/^[\x21-\x7e]{1,128}$/, 'a secret: 1–128 visible ASCII characters')
    .optional()
    .meta({ description: 'The 客户联系 secret. Required when first connecting; left out, the saved one stays. Never answered.' }),
  callbackToken: z
    .string()
    .regex(/^[A-Za-z0-9]{1,32}$/, 'a token: 1–32 letters or digits')
    .optional()
    .meta({ description: 'The callback Token set in WeCom’s admin. Never answered.' }),
  encodingAesKey: z
    .string()
    .regex(/^[A-Za-z0-9]{43}$/, 'an EncodingAESKey: exactly 43 letters or digits')
    .optional()
    .meta({ description: 'The callback EncodingAESKey set in WeCom’s admin. Never answered.' }),
  agentId: z.int().min(1).max(2_147_483_647).nullable().optional(),
  apiBase: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL' })
    .max(512)
    .optional()
    .meta({ description: 'WeCom’s API base (default https://qyapi.weixin.qq.com); a fake or another Tagloom in tests.' }),
  pushEnabled: z.boolean().optional(),
});
export type SaveConnectorInput = z.infer<typeof SaveConnectorBody>;

/** `POST /connector/pulls`. */
export const StartPullBody = z.strictObject({
  mode: z.enum(['full', 'incremental']).meta({
    description:
      '`full`: the whole tag library and every follow user’s customers, deletions included. `incremental`: the tag library, and the customers whose relation was added since the last pull (minus 10 minutes), nothing deleted.',
  }),
});

// ---- output ----

/** `GET /connector`: never a secret, only whether callbacks are set up. */
export const Connector = z.union([
  z.strictObject({ connected: z.literal(false) }),
  z.strictObject({
    connected: z.literal(true),
    wecomCorpid: z.string(),
    agentId: z.int().nullable(),
    apiBase: z.string(),
    pushEnabled: z.boolean(),
    hasCallback: z.boolean(),
    callbackUrl: z.string().meta({ description: 'The path to paste in WeCom’s admin after this server’s address.' }),
    lastFullPullAt: Timestamp.nullable(),
    lastPullAt: Timestamp.nullable(),
    updatedAt: Timestamp,
  }),
]);

/** `POST /connector/test`: WeCom's own words when it refuses. */
export const ConnectorTestResult = z.union([
  z.strictObject({ ok: z.literal(true), tagGroups: z.int() }),
  z.strictObject({ ok: z.literal(false), errcode: z.int(), errmsg: z.string() }),
]);

/** `POST /connector/pulls` (202). */
export const PullStarted = z.strictObject({ operationId: z.string() });
