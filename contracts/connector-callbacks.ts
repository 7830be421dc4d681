import { z } from 'zod';
import { Timestamp } from './common.js';

/** `GET /connector/callbacks`: newest first, optionally one outcome only, paged by `before`. */
export const ListCallbacksQuery = z.strictObject({
  outcome: z.enum(['applied', 'duplicate', 'refused', 'failed']).optional(),
  before: z
    .string()
    .regex(/^cb[A-Za-z0-9]{22}$/, 'a callbackId')
    .optional()
    .meta({ description: 'The `callbackId` of the last callback of the previous page.' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** One callback WeCom posted, as the log keeps it: never its body. */
export const CallbackLogEntry = z.object({
  callbackId: z.string(),
  outcome: z.enum(['applied', 'duplicate', 'refused', 'failed']).meta({
    description:
      '`applied` (or recorded as ignored), `duplicate` (a WeCom retry of one applied), `refused` (signature, timestamp, body), `failed` (reading WeCom or applying failed).',
  }),
  event: z.string().nullable().meta({ description: '`change_external_contact`, `change_external_tag`, `change_external_chat`, `verify_url`…' }),
  changeType: z.string().nullable(),
  reason: z.string().nullable().meta({ description: 'Why refused or failed (a code and a few words), or `ignored`.' }),
  receivedAt: Timestamp,
});

/** `GET /connector/callbacks`. */
export const CallbackLog = z.object({ callbacks: z.array(CallbackLogEntry), nextBefore: z.string().nullable() });
