import { AppError } from '../errors.js';
import type { GroupForPolicy, Policy } from './engine.js';

/** A tag (or a group, for templates) a rule's action would touch, with where the request names it. */
export type RuleActionTarget = {
  /** `tag.apply` to put it on customers, `tag.remove` to take it off. */
  permission: 'tag.apply' | 'tag.remove';
  /** The tag id, or the group's id or name for a template whose tags do not exist yet. */
  label: string;
  group: GroupForPolicy;
  path: string;
};

/**
 * "A rule can only apply tags its author may apply": checks each target of a rule's actions
 * against the author's `tag.apply` / `tag.remove` scope the way a command by the author would, at
 * save time, and refuses with a coded error naming the first tag the author may not touch.
 */
export function authorizeRuleActions(policy: Policy, targets: readonly RuleActionTarget[]): void {
  policy.authorize('rule.manage');
  const denied = targets.find((t) => !policy.can(t.permission, { type: 'tagGroup', group: t.group }));
  if (!denied) return;
  const verb = denied.permission === 'tag.apply' ? 'apply' : 'remove';
  throw new AppError('forbidden', {
    message: `You may not ${verb} ${denied.label}, so a rule you save may not either.`,
    details: [{ path: denied.path, message: `not allowed: ${denied.permission}`, id: denied.label }],
  });
}

/**
 * Creating a tag from a template in a group: the author must be able to add tags there (to a new
 * group: create groups) as well as apply them.
 */
export function authorizeTemplateGroup(policy: Policy, exists: boolean, path: string): void {
  const needed = exists ? (['tag.create'] as const) : (['tagGroup.create', 'tag.create'] as const);
  const missing = needed.find((p) => !policy.can(p));
  if (missing)
    throw new AppError('forbidden', {
      message: `A template creates tags on first use; you lack ${missing}.`,
      details: [{ path, message: `not allowed: ${missing}` }],
    });
}
