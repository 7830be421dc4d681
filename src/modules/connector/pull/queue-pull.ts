import { sql } from 'drizzle-orm';
import { actorLabel, type TxCtx } from '../../../context.js';
import { operations } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { newId } from '../../../ids.js';
import { policyFor } from '../../../policies/index.js';
import { jobsChannel } from '../../operations/jobs/queue-store.js';
import { requireConnection } from '../connection.js';
import type { PullParams } from './run-pull.js';

/** How far back of the last pull an incremental pull looks, so a relation added during that pull is not missed. */
export const incrementalMarginMs = 10 * 60_000;

/**
 * Queues a pull from WeCom (operation kind `wecom_pull`, run by the worker page by page). The
 * corp must be connected. An incremental pull reads the customers added since the last pull
 * (minus a margin); without an earlier pull it reads them all, without deletions.
 */
export async function queuePull(ctx: TxCtx, mode: 'full' | 'incremental'): Promise<string> {
  (await policyFor(ctx)).authorize('corp.settings');
  const connection = await requireConnection(ctx.tx, ctx.corpId);
  const operationId = newId.operation();
  const since = mode === 'incremental' && connection.lastPullAt ? new Date(connection.lastPullAt.getTime() - incrementalMarginMs).toISOString() : null;
  const params: PullParams = { mode, since, queuedAt: new Date().toISOString(), phase: 'library' };
  await ctx.tx.insert(operations).values({
    corpId: ctx.corpId,
    operationId,
    kind: 'wecom_pull',
    status: 'queued',
    params: params as Record<string, unknown>,
    // The worker runs it as the WeCom sync actor: what it applies comes from WeCom, not from the requester.
    actor: { kind: 'system', name: 'wecom' },
    actorLabel: actorLabel(ctx.actor),
    source: 'wecom-sync',
  });
  await recordEvent(ctx, { type: 'operation.queued', subjectType: 'operation', subjectId: operationId, operationId, payload: { kind: 'wecom_pull', mode } });
  await ctx.tx.execute(sql`select pg_notify(${jobsChannel}, ${ctx.corpId})`);
  return operationId;
}
