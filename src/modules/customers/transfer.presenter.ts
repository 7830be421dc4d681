import type { z } from 'zod';
import type { TransferResult } from '../../../contracts/customer-transfer.js';
import type { TransferResult as TransferRows } from './commands/transfer-customers.js';

/** A hand-over's outcome, one entry per customer with WeCom's errcode (0 when moved). */
export function presentTransferResult(result: TransferRows): z.infer<typeof TransferResult> {
  return {
    operationId: result.operationId,
    transferred: result.results.filter((r) => r.ok).length,
    results: result.results.map((r) =>
      r.ok
        ? { externalUserid: r.externalUserid, ok: true, errcode: 0, merged: r.merged, movedTagIds: r.movedTagIds }
        : { externalUserid: r.externalUserid, ok: false, errcode: r.errcode, code: r.code, message: r.message },
    ),
  };
}
