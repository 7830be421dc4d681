import { and, count, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { loginFailures } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

/** How long a failed password check counts against its username and IP. */
export const loginWindowMs = 15 * 60_000;
/** Failed checks per (corp, username) within the window after which further attempts are refused. */
export const maxFailuresPerUser = 5;
/** Failed checks per IP within the window after which further attempts are refused. */
export const maxFailuresPerIp = 20;

/** Whose password is being tried, and from where. */
export type AttemptKey = { corpId: string; username: string; ip: string };

/**
 * Runs a password check under the login rate limit, counted in the database so it holds across
 * processes: past the limit the check is not even run (429 `rate_limited`); a failed check counts
 * for 15 minutes; a successful one clears that username's failures. Login and password change use it.
 */
export async function throttledCheck(db: Db, key: AttemptKey, check: () => Promise<boolean>): Promise<boolean> {
  const now = Date.now();
  // Claim the attempt first and count afterwards: concurrent guesses then see each other's claims,
  // so a burst cannot slip between one request's count and its insert.
  const [claim] = await db
    .insert(loginFailures)
    .values({ corpId: key.corpId, username: key.username, ip: key.ip, at: new Date(now) })
    .returning({ id: loginFailures.id });
  const dropClaim = () => db.delete(loginFailures).where(and(eq(loginFailures.corpId, key.corpId), eq(loginFailures.id, claim!.id)));
  let ok: boolean;
  try {
    const since = new Date(now - loginWindowMs);
    const [[byUser], [byIp]] = await Promise.all([
      db
        .select({ n: count() })
        .from(loginFailures)
        .where(and(eq(loginFailures.corpId, key.corpId), eq(loginFailures.username, key.username), gt(loginFailures.at, since))),
      db
        .select({ n: count() })
        .from(loginFailures)
        .where(and(eq(loginFailures.ip, key.ip), gt(loginFailures.at, since))),
    ]);
    // The counts include this attempt's own claim.
    if ((byUser?.n ?? 0) > maxFailuresPerUser || (byIp?.n ?? 0) > maxFailuresPerIp) {
      throw new AppError('rate_limited', { message: 'Too many failed attempts; try again in 15 minutes.' });
    }
    ok = await check();
  } catch (err) {
    // A refused or broken attempt is not a wrong password: it must not extend the lock.
    await dropClaim();
    throw err;
  }
  if (ok) await db.delete(loginFailures).where(and(eq(loginFailures.corpId, key.corpId), eq(loginFailures.username, key.username)));
  // Old failures no longer count; dropping them keeps the table (and the IP count) small.
  await db.delete(loginFailures).where(lt(loginFailures.at, new Date(now - loginWindowMs)));
  return ok;
}
