import type { Actor, TxCtx } from '../../../context.js';
import { AppError } from '../../../errors.js';
import { loadOrgSnapshot } from '../../../policies/org-snapshot.js';
import { checkDefinition } from '../check-definition.js';
import type { LiveRule } from './live-rules.js';

/** The author of a version as an actor, from its audit label (`user:ID`, `app:ID`); null when none can be. */
async function authorActor(ctx: TxCtx, label: string): Promise<Actor | null> {
  const [kind, id] = [label.slice(0, label.indexOf(':')), label.slice(label.indexOf(':') + 1)];
  if (kind === 'user') return { kind: 'employee', userid: id, role: '' };
  if (kind === 'app') {
    const app = (await loadOrgSnapshot(ctx)).apps.get(id);
    return app ? { kind: 'app', appId: id, appKind: app.kind } : null;
  }
  if (kind === 'system') return { kind: 'system', name: id };
  return null;
}

// A verdict is reused for this long per rule version, so a busy keyword rule is not re-checked on
// every page of messages; a role or scope change reaches the rule within this delay. Deleted tags
// need no wait: the mark writer skips them under a lock.
const verdictTtlMs = 10_000;
const verdicts = new Map<string, { at: number; refusal: string | null }>();

/**
 * Why the rule may not run now, or null: its definition is checked again as its author, as at save
 * time, so a rule stops applying tags its author lost the right to apply. The verdict is kept for
 * 10 seconds per corp, rule and version.
 */
export async function authorRefusal(ctx: TxCtx, rule: LiveRule, now = Date.now()): Promise<string | null> {
  const key = `${ctx.corpId}|${rule.ruleId}|${rule.version}`;
  const kept = verdicts.get(key);
  if (kept && now - kept.at < verdictTtlMs) return kept.refusal;
  const refusal = await checkAsAuthor(ctx, rule);
  if (verdicts.size > 10_000) verdicts.clear();
  verdicts.set(key, { at: now, refusal });
  return refusal;
}

async function checkAsAuthor(ctx: TxCtx, rule: LiveRule): Promise<string | null> {
  const actor = await authorActor(ctx, rule.author);
  if (!actor) return `the author ${rule.author} no longer exists`;
  const { trigger, conditions, actions } = rule.definition;
  try {
    await checkDefinition(
      { ...ctx, actor },
      {
        trigger,
        actions,
        conditions: { filters: conditions.filters, ...(conditions.audience ? { audience: { expression: conditions.audience.expression } } : {}) },
      },
      'definition',
    );
    return null;
  } catch (error) {
    if (error instanceof AppError) return `checked as its author ${rule.author}: ${error.message}`;
    throw error;
  }
}
