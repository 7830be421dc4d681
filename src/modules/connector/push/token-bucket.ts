/**
 * A token bucket per corp for WeCom's mark_tag limit (1,000 calls a minute per corp): a small burst
 * and a steady refill, sized so no 60-second window exceeds the limit (burst + refill per minute =
 * limit), which makes 45009 the exception rather than the pacing.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;
  private readonly burst: number;
  private readonly perMs: number;

  constructor(perMinute: number, now: number) {
    this.burst = Math.max(1, Math.min(50, Math.floor(perMinute / 20)));
    this.perMs = Math.max(perMinute - this.burst, 1) / 60_000;
    this.tokens = this.burst;
    this.at = now;
  }

  /** Takes one token if there is one; false means wait `msUntilToken`. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** How long until a token is there (0 when one is). */
  msUntilToken(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.perMs);
  }

  private refill(now: number): void {
    if (now > this.at) this.tokens = Math.min(this.burst, this.tokens + (now - this.at) * this.perMs);
    this.at = Math.max(this.at, now);
  }
}
