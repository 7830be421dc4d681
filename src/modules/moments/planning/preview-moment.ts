import type { MomentPreview } from '../../../../contracts/moments.js';
import type { Ctx } from '../../../context.js';
import type { AudienceEngine } from '../../audiences/service/engine.js';
import { employeeNames } from '../../org/employee-names.js';
import { readMomentSettings } from '../moment-settings.js';
import { groupNames } from '../moments.repo.js';
import { type MomentInput, readMomentInput } from '../read-moment-input.js';
import { computeAudience } from './schedule-plan.js';

/**
 * Counts a post's audience without saving anything, checked as the actor's like a real post:
 * every reduction in total and per sender (with names), per variant (by the customers' active
 * hours), the tag groups whose suppression lists apply, and the settings used.
 */
export async function previewMoment(engine: AudienceEngine, ctx: Ctx, input: MomentInput, now = new Date()): Promise<MomentPreview> {
  const started = performance.now();
  const post = await readMomentInput(ctx, input, now, { unfinished: true });
  const settings = await readMomentSettings(ctx);
  const audience = await computeAudience(engine, ctx, post, settings, now, 'preview');
  const names = await employeeNames(ctx, audience.bySender.keys());
  // Every variant listed, the main content first, even those nobody gets.
  const byVariant = new Map<number, number>([[-1, post.variants.length === 0 ? audience.counts.remaining : 0]]);
  post.variants.forEach((_, i) => byVariant.set(i, 0));
  for (const [v, n] of audience.byVariant) byVariant.set(v, n);
  const groups = await groupNames(ctx, post.targetGroupIds);
  return {
    counts: audience.counts,
    bySender: [...audience.bySender]
      .map(([userid, part]) => ({ userid, name: names.get(userid) ?? userid, remaining: part.size }))
      .sort((a, b) => b.remaining - a.remaining || a.userid.localeCompare(b.userid)),
    byVariant: [...byVariant].map(([variant, remaining]) => ({ variant, label: variant === -1 ? '' : post.variants[variant]!.label, remaining })),
    targetGroups: post.targetGroupIds.map((groupId) => ({ groupId, name: groups.get(groupId) ?? groupId })),
    settings: { weeklyCap: settings.weeklyCap, notInterestedStreak: settings.notInterestedStreak, quietHours: settings.quietHours },
    includeText: post.include?.text ?? null,
    excludeText: post.exclude?.text ?? null,
    elapsedMs: Math.round((performance.now() - started) * 100) / 100,
  };
}
