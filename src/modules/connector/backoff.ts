/** How retries back off: the first delay, the ceiling, and how many attempts before giving up. */
export type BackoffPolicy = { baseMs: number; maxMs: number; maxAttempts: number };

/** Outbound webhooks and the WeCom push: 1 s, 2 s, 4 s … capped at 10 minutes, dead after 10 attempts. */
export const defaultBackoff: BackoffPolicy = { baseMs: 1000, maxMs: 10 * 60_000, maxAttempts: 10 };

/**
 * The wait before attempt `attempt + 1` after `attempt` failures: exponential with "equal jitter"
 * (half the step fixed, half drawn at random), so many deliveries failing together do not retry
 * together, and none retries sooner than half its step. `random` is injectable for tests.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy = defaultBackoff, random: () => number = Math.random): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

/** True when `attempts` failures mean the item goes to the dead-letter list. */
export function exhausted(attempts: number, policy: BackoffPolicy = defaultBackoff): boolean {
  return attempts >= policy.maxAttempts;
}
