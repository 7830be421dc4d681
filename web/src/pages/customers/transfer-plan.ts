import type { TransferItemDto } from '../../api/customer-transfer.js';

/** A customer offered for hand-over, with the employees who follow it (as the list shows them). */
export type TransferCandidate = { externalUserid: string; name: string; followers: readonly { userid: string; name: string }[] };

/** An employee as the pickers need them. */
export type Person = { userid: string; name: string; status: 'active' | 'left' };

/** A handover choice: the employee and how many of the picked customers they follow. */
export type HandoverChoice = Person & { follows: number };

/**
 * Who can hand the picked customers over, most useful first: the employees following the most of
 * them (who may have left — 离职继承), then everyone else by name, so the usual pick is on top.
 */
export function handoverChoices(candidates: readonly TransferCandidate[], people: readonly Person[]): HandoverChoice[] {
  const follows = new Map<string, number>();
  for (const c of candidates) for (const f of new Set(c.followers.map((x) => x.userid))) follows.set(f, (follows.get(f) ?? 0) + 1);
  return people
    .map((p) => ({ ...p, follows: follows.get(p.userid) ?? 0 }))
    .sort((a, b) => b.follows - a.follows || a.name.localeCompare(b.name, 'zh-CN') || a.userid.localeCompare(b.userid));
}

/**
 * Who can take them over: active employees other than the handover (the server refuses anyone
 * else), by name.
 */
export function takeoverChoices(people: readonly Person[], handover: string | undefined): Person[] {
  return people
    .filter((p) => p.status === 'active' && p.userid !== handover)
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.userid.localeCompare(b.userid));
}

/**
 * The picked customers the handover follows (the ones a hand-over can move) and how many others
 * are skipped, so the dialog says so before anything is sent rather than listing refusals after.
 */
export function planTransfer(candidates: readonly TransferCandidate[], handover: string | undefined): { send: string[]; skipped: number } {
  if (!handover) return { send: [], skipped: 0 };
  const send = candidates.filter((c) => c.followers.some((f) => f.userid === handover)).map((c) => c.externalUserid);
  return { send, skipped: candidates.length - send.length };
}

/** A hand-over's results counted: moved (of which merged into an existing relation) and not moved. */
export function tallyTransfer(results: readonly TransferItemDto[]): { moved: number; merged: number; failed: number } {
  const moved = results.filter((r) => r.ok);
  return { moved: moved.length, merged: moved.filter((r) => r.merged).length, failed: results.length - moved.length };
}
