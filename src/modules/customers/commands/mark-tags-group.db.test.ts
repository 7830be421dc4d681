import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Ctx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { AppError } from '../../../errors.js';
import { describeDb } from '../../../test/db.js';
import { buildCorp, buildCustomer, buildEmployees, buildTagGroup, employeeCtx } from '../../../test/factories.js';
import { markTags } from './mark-tags.js';

/** One request in terms of the corp's n-th member, customer and tag, so two corps can run the same list. */
type Request = { as: 'app' | 'staff2'; user: number; customer: number; add?: (number | 'unknown')[]; remove?: number[] };

const requests: Request[] = [
  { as: 'app', user: 0, customer: 0, add: [0, 1] },
  { as: 'app', user: 1, customer: 1, add: [2] },
  { as: 'app', user: 2, customer: 2, add: [0], remove: [3] }, // removes a tag the relation does not have
  { as: 'app', user: 0, customer: 3, add: ['unknown'] }, // unknown tag: 40068
  { as: 'app', user: 2, customer: 0, add: [0] }, // no relation: 84061
  { as: 'staff2', user: 1, customer: 1, add: [4] }, // a staff member on someone else's relation: forbidden
  { as: 'app', user: 1, customer: 4, add: [5] },
  { as: 'app', user: 1, customer: 4, add: [5] }, // the same request twice: one adds, the other finds it there
  { as: 'app', user: 2, customer: 5, add: [1, 2, 3] },
  { as: 'app', user: 0, customer: 6, add: [4] },
  { as: 'app', user: 1, customer: 7, add: [0], remove: [1] },
];

type Answer = { added: string[]; removed: string[] } | { error: string };

describeDb('mark_tag under concurrency', (db) => {
  /** A corp of 3 members, 8 customers (customer i followed by member i % 3) and 6 tags; each run gets its own. */
  async function corpFor() {
    const corp = await buildCorp(db().db);
    const users = await buildEmployees(corp.ctx, 3);
    const customers: string[] = [];
    for (let i = 0; i < 8; i += 1) customers.push(await buildCustomer(corp.ctx, [users[i % 3]!]));
    const { tags } = await buildTagGroup(corp.ctx, ['一', '二', '三', '四', '五', '六']);
    const tagIds = tags.map((t) => t.tagId);
    // Tags already on relations, so a remove has something to take off.
    await markTags(corp.ctx, { userid: users[1]!, externalUserid: customers[7]!, add: [tagIds[1]!] });
    const ctxOf = (as: Request['as']): Ctx => (as === 'app' ? corp.ctx : employeeCtx(db().db, corp.corpId, users[2]!));
    const names = new Map<string, string>([
      ...users.map((u, i) => [u, `u${i}`] as const),
      ...customers.map((c, i) => [c, `c${i}`] as const),
      ...tagIds.map((t, i) => [t, `t${i}`] as const),
    ]);
    const name = (id: string) => names.get(id) ?? id;
    const run = async (r: Request): Promise<Answer> => {
      try {
        const result = await markTags(ctxOf(r.as), {
          userid: users[r.user]!,
          externalUserid: customers[r.customer]!,
          add: r.add?.map((t) => (t === 'unknown' ? 'no-such-tag' : tagIds[t]!)),
          remove: r.remove?.map((t) => tagIds[t]!),
        });
        return { added: result.added.map(name).sort(), removed: result.removed.map(name).sort() };
      } catch (error) {
        if (error instanceof AppError) return { error: error.code };
        throw error;
      }
    };
    /** The corp's marks and follow.tags_changed events in member/customer/tag names, sorted. */
    const state = async () => {
      const marks = await queryRows<{ userid: string; external_userid: string; tag_id: string }>(
        db().db,
        sql`select userid, external_userid, tag_id from marks where corp_id = ${corp.corpId}`,
      );
      const events = await queryRows<{ actor: string; payload: { userid: string; externalUserid: string; added: string[]; removed: string[] } }>(
        db().db,
        sql`select actor, payload from events where corp_id = ${corp.corpId} and type = 'follow.tags_changed'`,
      );
      return {
        marks: marks.map((m) => `${name(m.userid)}|${name(m.external_userid)}|${name(m.tag_id)}`).sort(),
        events: events
          .map((e) =>
            JSON.stringify([
              e.actor.startsWith('user:') ? 'user' : e.actor,
              name(e.payload.userid),
              name(e.payload.externalUserid),
              e.payload.added.map(name).sort(),
              e.payload.removed.map(name).sort(),
            ]),
          )
          .sort(),
      };
    };
    return { run, state };
  }

  it('answers each concurrent request as it would be answered alone, and leaves the marks and events of serial execution', async () => {
    const serial = await corpFor();
    const serialAnswers: Answer[] = [];
    for (const r of requests) serialAnswers.push(await serial.run(r));

    const concurrent = await corpFor();
    const answers = Promise.all(requests.map((r) => concurrent.run(r)));

    const concurrentAnswers = await answers;
    // The twin requests may finish in either order; everything else answers exactly as alone.
    const twins = [6, 7];
    expect(concurrentAnswers.filter((_, i) => !twins.includes(i))).toEqual(serialAnswers.filter((_, i) => !twins.includes(i)));
    const byJson = (list: unknown[]) => list.map((a) => JSON.stringify(a)).sort();
    expect(byJson(twins.map((i) => concurrentAnswers[i]))).toEqual(byJson(twins.map((i) => serialAnswers[i])));
    expect(serialAnswers[3]).toEqual({ error: 'tag_not_found' });
    expect(serialAnswers[4]).toEqual({ error: 'no_relation' });
    expect(serialAnswers[5]).toEqual({ error: 'forbidden' });
    expect(byJson(twins.map((i) => serialAnswers[i]))).toEqual(
      byJson([
        { added: ['t5'], removed: [] },
        { added: [], removed: [] },
      ]),
    );
    expect(await concurrent.state()).toEqual(await serial.state());
  });
});
