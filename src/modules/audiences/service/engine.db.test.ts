import { afterEach, expect, it } from 'vitest';
import { describeDb } from '../../../test/db.js';
import { buildCorp, buildCustomer, buildEmployees, buildTagGroup } from '../../../test/factories.js';
import { markTags } from '../../customers/commands/mark-tags.js';
import { tagBitmap } from '../index/corp-index.js';
import { AudienceEngine } from './engine.js';

const waitFor = async (check: () => boolean, timeoutMs = 5000) => {
  const started = Date.now();
  while (!check() && Date.now() - started < timeoutMs) await new Promise((resolve) => setTimeout(resolve, 10));
  return check();
};

describeDb('audience engine: woken by NOTIFY, several processes agree', (db) => {
  const engines: AudienceEngine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.stop()));
  });

  async function scene() {
    const corp = await buildCorp(db().db);
    const [u1, u2] = (await buildEmployees(corp.ctx, 2)) as [string, string];
    const customer = await buildCustomer(corp.ctx, [u1, u2]);
    const other = await buildCustomer(corp.ctx, [u2]);
    const { tags } = await buildTagGroup(corp.ctx, ['甲', '乙']);
    return { corp, u1, u2, customer, other, tag: tags[0]!.tagId };
  }

  it('takes in a commit without being asked, as soon as the NOTIFY arrives (no polling)', async () => {
    const { corp, u1, customer, tag } = await scene();
    // A poll period of an hour: only the notification can bring the change in.
    const engine = new AudienceEngine(db().db, { listen: db().listen, pollMs: 3_600_000 });
    engines.push(engine);
    await engine.start();
    const index = await engine.current(corp.corpId);
    expect(tagBitmap(index, tag).size).toBe(0);
    await markTags(corp.ctx, { externalUserid: customer, userid: u1, add: [tag] });
    expect(await waitFor(() => tagBitmap(index, tag).size === 1)).toBe(true);
  });

  it('gives every engine on one database the same answer (two processes, one outbox)', async () => {
    const { corp, u1, u2, customer, other, tag } = await scene();
    const [a, b] = [new AudienceEngine(db().db), new AudienceEngine(db().db)];
    engines.push(a, b);
    await a.current(corp.corpId);
    await markTags(corp.ctx, { externalUserid: customer, userid: u1, add: [tag] });
    await markTags(corp.ctx, { externalUserid: other, userid: u2, add: [tag] });
    await markTags(corp.ctx, { externalUserid: customer, userid: u1, remove: [tag] });
    // `a` was built before the marks and tails them; `b` is built after them.
    const [ia, ib] = [await a.current(corp.corpId), await b.current(corp.corpId)];
    expect(tagBitmap(ia, tag).toArray()).toEqual(tagBitmap(ib, tag).toArray());
    expect(tagBitmap(ia, tag).size).toBe(1);
    expect(a.has(corp.corpId) && b.has(corp.corpId)).toBe(true);
  });

  it('serves a caller every change committed before its call (read-your-writes)', async () => {
    const { corp, u1, customer, tag } = await scene();
    const engine = new AudienceEngine(db().db, { pollMs: 3_600_000 });
    engines.push(engine);
    await engine.current(corp.corpId);
    for (const op of ['add', 'remove', 'add'] as const) {
      await markTags(corp.ctx, { externalUserid: customer, userid: u1, [op]: [tag] });
      const index = await engine.current(corp.corpId);
      expect(tagBitmap(index, tag).size).toBe(op === 'add' ? 1 : 0);
    }
  });
});
