import type { z } from 'zod';
import type { Expr } from '../../../contracts/audience-expression/ast.js';
import type { Moment, MomentDto } from '../../../contracts/moments.js';
import { type PrintOptions, printExpression } from '../audiences/expression/print.js';
import type { DeliveryStats, MomentRow } from './moments.repo.js';

/**
 * What a post is shown with besides its row: its delivery counts, how to print its expressions
 * (the reader's tag names; a renamed tag shows its new name) and its target groups' names.
 */
export type MomentExtras = { stats: DeliveryStats; labels: PrintOptions; groupNames: ReadonlyMap<string, string> };

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

function presentExpression(e: Expr | null, labels: PrintOptions) {
  return e === null ? null : { expression: e, text: printExpression(e, labels) };
}

/** A post as the API answers it. */
export function presentMoment(row: MomentRow, extras: MomentExtras): MomentDto {
  const { stats, labels, groupNames } = extras;
  return {
    momentId: row.momentId,
    status: row.status,
    text: row.text,
    attachments: row.attachments,
    variants: row.variants,
    senders: { userids: row.senders.userids ?? [], departmentIds: row.senders.departmentIds ?? [] },
    audience: { include: presentExpression(row.includeExpr, labels), exclude: presentExpression(row.excludeExpr, labels) },
    schedule: row.schedule,
    targetGroups: row.targetGroupIds.map((groupId) => ({ groupId, name: groupNames.get(groupId) ?? groupId })),
    counts: row.counts,
    deliveries: { planned: stats.planned, sent: stats.sent, cancelled: stats.cancelled, firstAt: iso(stats.firstAt), lastAt: iso(stats.lastAt) },
    author: row.author,
    origin: row.origin,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    scheduledAt: iso(row.scheduledAt),
    finishedAt: iso(row.finishedAt),
    cancelledAt: iso(row.cancelledAt),
  } satisfies z.infer<typeof Moment>;
}
