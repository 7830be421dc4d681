import { z } from 'zod';
import { chars, Id } from './common.js';

// ---- input ----

/** The most customers one hand-over call takes; the console sends a bigger selection in calls of this size. */
export const maxTransferCustomers = 100;

/** `POST /customers/transfer`: hand customers from one employee to another (在职继承 / 离职继承). */
export const TransferCustomersBody = z.strictObject({
  handoverUserid: Id.meta({ description: 'The employee handing the customers over; may have left (离职继承).' }),
  takeoverUserid: Id.meta({ description: 'The active employee taking them over.' }),
  externalUserids: z.array(Id).min(1).max(maxTransferCustomers),
  reason: chars(200).optional().meta({ description: 'Why; recorded in the audit log.' }),
});

// ---- output ----

/** One customer's outcome: moved (`merged` when the takeover already followed it), or why not. */
export const TransferItem = z.object({
  externalUserid: z.string(),
  ok: z.boolean(),
  errcode: z.number().meta({ description: '0 when moved; otherwise the WeCom errcode (40096 unknown customer, 84061 not followed by the handover).' }),
  code: z.string().optional().meta({ description: 'The error code when not moved: customer_not_found, no_relation.' }),
  message: z.string().optional(),
  merged: z.boolean().optional().meta({ description: 'The takeover already followed the customer; their relation was kept and the tags merged into it.' }),
  movedTagIds: z
    .array(z.string())
    .optional()
    .meta({ description: "Enterprise tags that moved to the takeover's relation (ones it already had are not repeated)." }),
});

/** `POST /customers/transfer`: one outcome per (distinct) customer, in request order. */
export const TransferResult = z.object({ operationId: z.string(), transferred: z.number(), results: z.array(TransferItem) });

/** A hand-over result as the console receives it. */
export type TransferResultDto = z.infer<typeof TransferResult>;
