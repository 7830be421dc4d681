import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Database } from '../../db/client.js';
import { apiClient } from '../../test/api.js';
import { buildRegionalCorp } from '../../test/org-fixture.js';

/**
 * The regional corp with two grade tags put on by hand: A级 on the Shanghai and Beijing customers,
 * B级 on the Beijing one only. The audience, customer-list and statistics tests count on it, each
 * from a different caller's data scope (`as`).
 */
export async function gradedScene(app: () => FastifyInstance, db: () => Database) {
  const f = await buildRegionalCorp(db().db);
  const admin = apiClient(app, f.secret);
  const as = (who: keyof typeof f.people) => apiClient(app, f.secret, f.people[who]);
  const [a, b] = f.grade.tags.map((t) => t.tagId) as [string, string];
  const mark = async (customer: string, userid: string, add: string[]) => {
    const res = await admin.post(`/customers/${customer}/follows/${userid}/tags`, { add });
    expect(res.status).toBe(200);
  };
  await mark(f.shCustomer, f.people.shStaff, [a]);
  await mark(f.bjCustomer, f.people.bjStaff, [a, b]);
  return { f, admin, as, a, b, mark };
}
