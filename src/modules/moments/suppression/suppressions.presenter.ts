import type { z } from 'zod';
import type { Suppression } from '../../../../contracts/moments.js';
import { suppressionReason } from './suppression-reason.js';
import type { SuppressionRow } from './suppressions.queries.js';

/** A suppression as the API shows it, with its explanation ("not interested on posts …"). */
export function presentSuppression(row: SuppressionRow): z.infer<typeof Suppression> {
  return {
    groupId: row.groupId,
    groupName: row.groupName,
    externalUserid: row.externalUserid,
    name: row.name,
    since: row.since.toISOString(),
    momentIds: row.momentIds,
    reason: suppressionReason(row.momentIds, row.texts),
  };
}
