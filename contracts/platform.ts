import { z } from 'zod';
import { minPasswordLength } from './auth.js';
import { Timestamp } from './common.js';
import { Userid } from './org.js';

/** A corpid: 2–64 letters, digits, `_` or `-` (WeCom's look like `ww1a2b…`). */
export const CorpId = z.string().regex(/^[A-Za-z0-9_-]{2,64}$/, 'a corpid: 2–64 of letters, digits, _ -');

/**
 * `POST /platform/corps`: a new corp, and optionally its first admin (a console login in the root
 * department; a password is generated and shown once when none is given).
 */
export const CreateCorpBody = z.strictObject({
  corpId: CorpId,
  name: z.string().min(1).max(64),
  admin: z
    .strictObject({
      userid: Userid,
      name: z.string().min(1).max(64),
      password: z.string().min(minPasswordLength, `at least ${minPasswordLength} characters`).max(256).optional(),
    })
    .optional(),
});

/** The corp just created, with its customer-contact secret and the admin's password: shown this once, never stored in clear. */
export const ProvisionedCorp = z.object({
  corpId: z.string(),
  name: z.string(),
  secret: z.string().meta({ description: 'The customer-contact secret (`corpsecret` for gettoken, Bearer key for /api/v1). Only its hash is kept.' }),
  admin: z.object({ userid: z.string(), name: z.string(), password: z.string() }).nullable(),
});

/** One corp in the platform listing. */
export const CorpSummary = z.object({ corpId: z.string(), name: z.string(), createdAt: Timestamp });

/** `GET /platform/corps`: every corp the server holds, by corpid. */
export const CorpList = z.object({ corps: z.array(CorpSummary) });
