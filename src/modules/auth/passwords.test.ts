import { scryptSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, setTestPasswordCost, verifyPassword } from './passwords.js';

describe('passwords', () => {
  // The test setup lowers the cost for every other file; here the production parameters are checked.
  beforeAll(() => setTestPasswordCost(false));
  afterAll(() => setTestPasswordCost(true));

  it('hashes with scrypt into a self-describing string with a random salt', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
  });

  it('verifies hashes made with other parameters, and treats composed and decomposed forms alike', async () => {
    const salt = 'c2FsdHNhbHRzYWx0c2FsdA';
    const cheap = `scrypt$1024$8$1$${salt}$${scryptSync('密码密码密码', Buffer.from(salt, 'base64url'), 32, { N: 1024, r: 8, p: 1 }).toString('base64url')}`;
    expect(await verifyPassword('密码密码密码', cheap)).toBe(true);
    const accented = await hashPassword('caf\u00e9-au-lait');
    expect(await verifyPassword('cafe\u0301-au-lait', accented)).toBe(true);
  });

  it('answers false, never throws, for a missing or malformed hash', async () => {
    for (const stored of [null, undefined, '', 'plain', 'scrypt$x$8$1$salt$hash', 'scrypt$1048577000$8$1$c2FsdA$aGFzaA', 'bcrypt$2$3$4$5$6']) {
      expect(await verifyPassword('anything-at-all', stored)).toBe(false);
    }
  });
});
