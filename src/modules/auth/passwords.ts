import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

export { minPasswordLength } from '../../../contracts/auth.js';

// N = 2^15, r = 8 costs 32 MiB and ~60 ms per hash: slow enough against offline guessing, cheap
// enough for a login. The parameters are stored with each hash, so raising them later only
// affects new hashes and old ones still verify.
const production = { N: 2 ** 15, r: 8, p: 1 };
// The test suite hashes hundreds of passwords; it lowers the cost of new hashes (never of checks:
// each hash names its own parameters) and passwords.test.ts checks the production ones.
const testCost = { N: 2 ** 10, r: 8, p: 1 };
let defaults = production;
const keyLength = 32;

/**
 * Test-only: `true` makes new hashes cheap (N = 2^10) for the rest of this process, `false` goes
 * back to the production cost. Called by the test setup file, never by the app.
 */
export function setTestPasswordCost(cheap: boolean): void {
  defaults = cheap ? testCost : production;
}

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }, length = keyLength): Promise<Buffer> {
  // maxmem must exceed 128·N·r, or node refuses the parameters above.
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, length, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/**
 * Hashes a password with scrypt and a random 16-byte salt into a self-describing string
 * `scrypt$N$r$p$salt$hash` (base64url), so the parameters can change without a migration.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, defaults);
  return ['scrypt', defaults.N, defaults.r, defaults.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Whether `password` matches a stored hash, compared in constant time. A missing or malformed hash
 * is checked against a throwaway one, so "no such user" costs the same time as "wrong password".
 */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parts = (stored ?? '').split('$');
  const [scheme, n, r, p, salt, hash] = parts;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const valid = parts.length === 6 && scheme === 'scrypt' && [params.N, params.r, params.p].every((v) => Number.isInteger(v) && v > 0) && params.N <= 2 ** 20;
  if (!valid) {
    await derive(password, randomBytes(16), defaults);
    return false;
  }
  const expected = Buffer.from(hash!, 'base64url');
  if (expected.length < 16 || expected.length > 64) return false;
  const actual = await derive(password, Buffer.from(salt!, 'base64url'), params, expected.length);
  return timingSafeEqual(expected, actual);
}
