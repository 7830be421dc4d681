import type { BatchInput } from '../../../../contracts/operations.js';
import type { Ctx, TxCtx } from '../../../context.js';
import { AppError } from '../../../errors.js';
import { forbidden, type Policy, policyFor } from '../../../policies/index.js';
import type { EvalContext } from '../../audiences/context.js';
import { loadCatalog } from '../../audiences/service/catalog.js';
import { readExpression } from '../../audiences/service/read-expression.js';
import { requireEmployee } from '../../customers/follows.repo.js';
import type { RelationScope, StoredSelection } from './batch-selection.js';
import { type BatchTags, checkBatchTags } from './batch-tags.js';

/** The parameters stored on a batch operation: the request, with an audience kept as checked ids. */
export type BatchParams = Omit<BatchInput, 'selection'> & { selection: StoredSelection };

/** Everything checked about a batch, ready to count or run. */
export type PreparedBatch = { policy: Policy; tags: BatchTags; scope: RelationScope; selection: StoredSelection; evalCtx: EvalContext | null };

/**
 * Checks a batch for the actor: permissions and tags, the chosen employee's relations, and the
 * audience expression (parsed with the actor's tag names, every tag one they may see). Runs when
 * the request comes in and again inside the job's transaction (`lock`), since the actor may have
 * lost a permission, or a tag may have been deleted, in between.
 */
export async function prepareBatch(ctx: Ctx | TxCtx, body: BatchInput | BatchParams, lock = false): Promise<PreparedBatch> {
  const policy = await policyFor(ctx);
  const tags = await checkBatchTags(ctx, policy, body as BatchInput, lock);
  let scope: RelationScope = { reach: policy.reach };
  const userid = body.relations?.userid;
  if (userid !== undefined) {
    await requireEmployee(ctx, userid).catch((error: unknown) => {
      throw error instanceof AppError
        ? new AppError(error.code, { message: error.message, details: [{ path: 'body.relations.userid', message: 'unknown employee' }] })
        : error;
    });
    if (!policy.reaches(userid)) throw forbidden(`${userid}'s customers are outside your data scope.`);
    scope = { userid };
  } else if (tags.personalIds.length > 0 && ctx.actor.kind === 'employee') {
    scope = { userid: ctx.actor.userid };
  }
  const selection = body.selection;
  if ('externalUserids' in selection && selection.externalUserids !== undefined)
    return { policy, tags, scope, selection: { externalUserids: [...new Set(selection.externalUserids)] }, evalCtx: null };
  if ('everyone' in selection && selection.everyone) return { policy, tags, scope, selection: { everyone: true }, evalCtx: null };
  const catalog = await loadCatalog(ctx);
  const input = selection as { expression?: unknown; text?: string };
  // A stored selection keeps the checked expression (ids) beside the text it came from; running it
  // again reads the ids, so renaming a tag in between does not change what the batch selects.
  const expression = readExpression(input.expression !== undefined ? { expression: input.expression } : { text: input.text }, catalog, 'body.selection');
  return { policy, tags, scope, selection: { expression, ...(input.text !== undefined ? { text: input.text } : {}) }, evalCtx: catalog.eval };
}
