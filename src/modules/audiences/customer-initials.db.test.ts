import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { systemContext, withTx } from '../../context.js';
import { fillNameInitials } from '../../db/fill-name-initials.js';
import { apiClient, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildRegionalCorp } from '../../test/org-fixture.js';
import { addCustomers } from '../customers/commands/add-customers.js';

describeDb('customers found by their name’s pinyin initials (客户 search, quick jump)', (db) => {
  const app = useTestApp(db);

  async function scene() {
    const f = await buildRegionalCorp(db().db);
    const admin = apiClient(app, f.secret);
    const names = ['张三', '林桂婷', '张思远', '100%满意', 'a_b客户', 'axb客户'];
    const created = await withTx(systemContext(db().db, f.corpId), (tx) =>
      addCustomers(
        tx,
        names.map((name) => ({ name, follows: [{ userid: f.people.shStaff }] })),
      ),
    );
    const id = Object.fromEntries(names.map((n, i) => [n, created[i]!]));
    const search = async (q: string) => {
      const res = await admin.post('/audiences/customers', { q, limit: 100 });
      expect(res.status).toBe(200);
      return (res.body.customers as { name: string }[]).map((c) => c.name).sort();
    };
    return { f, id, search };
  }

  it('finds a customer whose initials start with q, in either case, beside the name search', async () => {
    const { search } = await scene();
    expect(await search('zs')).toEqual(['张三', '张思远']);
    expect(await search('ZSY')).toEqual(['张思远']);
    expect(await search('lgt')).toEqual(['林桂婷']);
    expect(await search('gt')).toEqual([]); // initials match from the start only
    expect(await search('林桂')).toEqual(['林桂婷']);
  });

  it('reads % and _ in q literally', async () => {
    const { search } = await scene();
    expect(await search('%')).toEqual(['100%满意']);
    expect(await search('a_b')).toEqual(['a_b客户']);
    expect(await search('_')).toEqual(['a_b客户']);
  });

  it('finds a renamed customer by its new initials and no longer by the old ones', async () => {
    const { f, id, search } = await scene();
    // No command renames a customer yet: a rename outside addCustomers (an operator, a later sync) is SQL.
    await db().db.execute(sql`update customers set name = '王五' where corp_id = ${f.corpId} and external_userid = ${id.张三!}`);
    expect(await search('zs')).toEqual(['张思远']); // the trigger dropped the stale initials
    expect(await fillNameInitials(db().db)).toBe(1);
    expect(await search('ww')).toEqual(['王五']);
  });

  it('backfills the rows that have no initials yet (rows from before migration 0010), idempotently', async () => {
    const { f, search } = await scene();
    await db().db.execute(sql`update customers set name_initials = null where corp_id = ${f.corpId}`);
    expect(await search('lgt')).toEqual([]);
    // A graceful stop before it starts fills nothing (the server aborts it between batches).
    const stopped = new AbortController();
    stopped.abort();
    expect(await fillNameInitials(db().db, { signal: stopped.signal })).toBe(0);
    expect(await search('lgt')).toEqual([]);
    expect(await fillNameInitials(db().db)).toBeGreaterThanOrEqual(9);
    expect(await fillNameInitials(db().db)).toBe(0);
    expect(await search('lgt')).toEqual(['林桂婷']);
    expect(await search('shk')).toEqual(['上海客户']);
  });
});
