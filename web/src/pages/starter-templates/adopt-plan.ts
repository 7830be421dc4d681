import { nameKey } from '../../../../src/names/name-policy.js';
import type { StarterGroup } from './templates.js';

/** Which of a template's groups adopting it creates, and which it skips because the corp has them. */
export type AdoptPlan = { create: StarterGroup[]; skip: StarterGroup[] };

/**
 * Splits a template's groups into those to create and those the corp already has by name,
 * compared as the server compares names (`nameKey`: NFKC, case folded, spaces collapsed), so a
 * skipped group is exactly one the server would refuse as taken.
 * @example planAdoption(['客户等级'], groups) // { create: [客户来源, …], skip: [客户等级] }
 */
export function planAdoption(existingGroupNames: readonly string[], groups: readonly StarterGroup[]): AdoptPlan {
  const taken = new Set(existingGroupNames.map(nameKey));
  const plan: AdoptPlan = { create: [], skip: [] };
  for (const group of groups) (taken.has(nameKey(group.name)) ? plan.skip : plan.create).push(group);
  return plan;
}

/** What one adoption did: groups created, skipped as existing, and refused with the server's message. */
export type AdoptOutcome = { created: string[]; skipped: string[]; failed: { name: string; error: string }[] };

/**
 * Adopts a plan: creates its groups one by one with `createGroup` (each with its tags, as WeCom has
 * no empty groups) and carries on past a refusal, so one taken or too-long name does not stop the
 * rest. A group another admin created meanwhile is refused by the server and reported as failed.
 */
export async function adopt(
  plan: AdoptPlan,
  createGroup: (group: StarterGroup) => Promise<unknown>,
  describe: (error: unknown) => string,
): Promise<AdoptOutcome> {
  const outcome: AdoptOutcome = { created: [], skipped: plan.skip.map((g) => g.name), failed: [] };
  for (const group of plan.create) {
    try {
      await createGroup(group);
      outcome.created.push(group.name);
    } catch (error) {
      outcome.failed.push({ name: group.name, error: describe(error) });
    }
  }
  return outcome;
}
