import { and, eq, inArray, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.js';
import {
  customers,
  events,
  follows,
  marks,
  operations,
  personalTags,
  strategies,
  strategyRanges,
  tagGroups,
  wecomConnections,
  wecomIdMap,
} from '../../../db/schema/index.js';
import { apiClient, corpState, useTestApp } from '../../../test/api.js';
import { describeDb } from '../../../test/db.js';
import { buildCorp, unique } from '../../../test/factories.js';
import { OperationWorker } from '../../operations/jobs/worker.js';
import { buildRuleGroupOrg } from '../../strategies/test-support.js';
import { type FakeSeedCustomer, FakeWecom } from '../fake-wecom.test-support.js';
import { pulledStrategyName } from '../sync/strategy-library.js';

const secret = 'fake-contact-secret-123';

/** The API client with PUT added (the shared one has none). */
function client(app: () => FastifyInstance, key: string) {
  const base = apiClient(app, key);
  const put = async (url: string, body: unknown) => {
    const res = await app().inject({ method: 'PUT', url: `/api/v1${url}`, headers: { authorization: `Bearer ${key}` }, payload: body as object });
    return { status: res.statusCode, body: res.json() };
  };
  return { ...base, put };
}

describeDb('pull from WeCom (against the fake WeCom)', (db) => {
  const app = useTestApp(db, { runJobs: false });
  let wecom: FakeWecom;
  beforeAll(async () => {
    wecom = await FakeWecom.start();
  });
  afterAll(async () => {
    await wecom?.close();
  });

  /** A corp here connected to a seeded corp there: 2 groups, 3 follow users, 250 customers (some with two followers), personal tags. */
  async function scene(opts: { customers?: number } = {}) {
    const corp = await buildCorp(db().db);
    const wecomCorpid = unique('wwFake');
    wecom.addCorp(wecomCorpid, secret);
    const users = ['zhangsan', 'lisi', 'wangwu'];
    const seeded: FakeSeedCustomer[] = Array.from({ length: opts.customers ?? 250 }, (_, i) => ({
      external_userid: `wmPull${wecomCorpid}${i}`,
      name: `客户${i}`,
      gender: i % 3,
      follow: [
        {
          userid: users[i % 3]!,
          remark: `备注${i}`,
          createtime: 1_700_000_000 + i,
          add_way: 1,
          tags: i % 2 === 0 ? ['A级'] : ['B级', '广告'],
          personalTags: i % 5 === 0 ? ['老朋友'] : [],
        },
        ...(i % 4 === 0 ? [{ userid: users[(i + 1) % 3]!, createtime: 1_700_000_500, tags: ['广告'] }] : []),
      ],
    }));
    wecom.seed(wecomCorpid, {
      tagGroups: [
        { group_name: '等级', tags: [{ name: 'A级' }, { name: 'B级' }] },
        { group_name: '来源', tags: [{ name: '广告' }] },
      ],
      followUsers: users,
      customers: seeded,
    });
    const api = client(app, corp.secret);
    const saved = await api.put('/connector', { wecomCorpid, secret, apiBase: wecom.url });
    expect(saved.status).toBe(200);
    const worker = (hooks: ConstructorParameters<typeof OperationWorker>[1] = {}) =>
      new OperationWorker(db().db, { kind: db().kind, secretBox: app().secretBox, pull: { sleep: async () => {} }, ...hooks });
    const pull = async (mode: 'full' | 'incremental', w = worker()) => {
      const res = await api.post('/connector/pulls', { mode });
      expect(res.status).toBe(202);
      await w.drain();
      return (await api.get(`/operations/${res.body.operationId}`)).body.operation;
    };
    return { ...corp, corpId: corp.ctx.corpId, wecomCorpid, api, users, seeded, worker, pull };
  }

  /** Every mark here as `userid|external_userid|tag name` (personal tags prefixed), sorted. */
  async function localMarks(corpId: string): Promise<string[]> {
    const rows = await queryRows<{ userid: string; external_userid: string; name: string; personal: number }>(
      db().db,
      sql`select m.userid, m.external_userid, coalesce(t.name, p.name) as name, m.personal from marks m
          left join tags t on t.corp_id = m.corp_id and t.tag_id = m.tag_id left join personal_tags p on p.corp_id = m.corp_id and p.tag_id = m.tag_id
          where m.corp_id = ${corpId}`,
    );
    return rows.map((r) => `${r.userid}|${r.external_userid}|${Number(r.personal) === 1 ? 'p:' : ''}${r.name}`).sort();
  }

  /** The same, as the fake holds it. */
  function remoteMarks(s: Awaited<ReturnType<typeof scene>>): string[] {
    const names = new Map(wecom.tags(s.wecomCorpid).flatMap((g) => g.tags.map((t) => [t.id, t.name] as const)));
    const out: string[] = [];
    for (const c of s.seeded) {
      for (const f of c.follow ?? []) {
        for (const id of wecom.marks(s.wecomCorpid, f.userid, c.external_userid!)) out.push(`${f.userid}|${c.external_userid}|${names.get(id)}`);
        for (const p of f.personalTags ?? []) out.push(`${f.userid}|${c.external_userid}|p:${p}`);
      }
    }
    return out.sort();
  }

  it('a full pull makes the corp here match WeCom (customers, follows, marks, personal tags, audience counts); a second pull changes nothing', async () => {
    const s = await scene();
    const op = await s.pull('full');
    expect(op).toMatchObject({ kind: 'wecom_pull', status: 'succeeded' });
    expect(op.result.problems).toEqual([]);
    const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(db().db, sql`select count(*)::int as n from customers where corp_id = ${s.corpId}`);
    expect(Number(n)).toBe(250);
    expect(await localMarks(s.corpId)).toEqual(remoteMarks(s));
    const [f] = await db()
      .db.select()
      .from(follows)
      .where(and(eq(follows.corpId, s.corpId), eq(follows.externalUserid, s.seeded[7]!.external_userid!), eq(follows.userid, 'lisi')));
    expect(f).toMatchObject({ remark: '备注7', addWay: 1 });
    // Tag ids read the same on both sides (WeCom's were free here).
    const remoteA = wecom.tags(s.wecomCorpid)[0]!.tags[0]!.id;
    const count = await s.api.post('/audiences/count', { expression: { tag: remoteA } });
    const deadline = Date.now() + 8000;
    let counted = count.body.count;
    while (counted !== 125 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      counted = (await s.api.post('/audiences/count', { expression: { tag: remoteA } })).body.count;
    }
    expect(counted).toBe(125);
    const conn = (await s.api.get('/connector')).body;
    expect(conn.lastFullPullAt).not.toBeNull();
    expect(conn.lastPullAt).toBe(conn.lastFullPullAt);

    const before = await corpState(db().db, s.corpId);
    const [{ maxSeq } = { maxSeq: 0 }] = await queryRows<{ maxSeq: number }>(
      db().db,
      sql`select coalesce(max(seq), 0)::bigint as "maxSeq" from events where corp_id = ${s.corpId}`,
    );
    const again = await s.pull('full');
    expect(again.result).toMatchObject({ created: 0, updated: 0, deleted: 0, marked: 0, unmarked: 0 });
    const after = await corpState(db().db, s.corpId);
    expect({ ...after, events: undefined, operations: undefined }).toEqual({ ...before, events: undefined, operations: undefined });
    // The only new events are the pull's own queueing.
    const newer = await db()
      .db.select({ type: events.type })
      .from(events)
      .where(and(eq(events.corpId, s.corpId), sql`${events.seq} > ${Number(maxSeq)}`));
    expect(newer.every((e) => e.type === 'operation.queued')).toBe(true);
  }, 240_000);

  it('pulls rule-group tags: the rule group, its group and tag, and a follow marked with one, ids mapped; a second pull changes nothing', async () => {
    const s = await scene({ customers: 3 });
    await buildRuleGroupOrg(s.ctx); // the org synced before: a member to administer the rule group, a root department
    wecom.seed(s.wecomCorpid, {
      strategyTagGroups: [{ strategy_id: 7, group_id: 'etPullRule', group_name: '规则组标签', tags: [{ id: 'stPullVip', name: 'VIP' }] }],
    });
    const customer = s.seeded[0]!.external_userid!;
    wecom.staffMark(s.wecomCorpid, 'zhangsan', customer, ['stPullVip'], []);
    const op = await s.pull('full');
    // The fake knows no details of rule group 7 (customer_strategy/get refuses): a placeholder, said once.
    expect(op).toMatchObject({
      status: 'succeeded',
      result: { problems: [expect.stringMatching(/^rule group 7: its name, admins and range could not be read/)] },
    });
    const [rule] = await db().db.select().from(strategies).where(eq(strategies.corpId, s.corpId));
    expect(rule?.name).toBe(pulledStrategyName(7));
    const [group] = await db()
      .db.select()
      .from(tagGroups)
      .where(and(eq(tagGroups.corpId, s.corpId), eq(tagGroups.groupId, 'etPullRule')));
    expect(group).toMatchObject({ kind: 'strategy', strategyId: rule!.strategyId, name: '规则组标签' });
    expect(await localMarks(s.corpId)).toContain(`zhangsan|${customer}|VIP`);
    const mapped = await db()
      .db.select({ kind: wecomIdMap.kind, localId: wecomIdMap.localId, remoteId: wecomIdMap.remoteId })
      .from(wecomIdMap)
      .where(and(eq(wecomIdMap.corpId, s.corpId), inArray(wecomIdMap.remoteId, ['7', 'etPullRule', 'stPullVip'])));
    expect(mapped.map((m) => `${m.kind}:${m.localId}=${m.remoteId}`).sort()).toEqual([
      `strategy:${rule!.strategyId}=7`,
      'tag:stPullVip=stPullVip',
      'tag_group:etPullRule=etPullRule',
    ]);

    const before = await corpState(db().db, s.corpId);
    const again = await s.pull('full');
    expect(again.result).toMatchObject({ created: 0, updated: 0, deleted: 0, marked: 0, unmarked: 0, problems: [] });
    expect({ ...(await corpState(db().db, s.corpId)), events: undefined, operations: undefined }).toEqual({
      ...before,
      events: undefined,
      operations: undefined,
    });
  });

  it("on a brand-new corp, one pull brings a rule group with WeCom's name, admins and range, and the follows marked with its tags", async () => {
    const s = await scene({ customers: 3 }); // no members or departments here yet
    wecom.seed(s.wecomCorpid, {
      strategies: [
        {
          strategy_id: 8,
          parent_id: 0,
          strategy_name: '华东销售规则组',
          admin_list: ['lisi', 'ghost'], // ghost is no follow user: not a member here
          range: [
            { type: 1, userid: 'zhangsan' },
            { type: 2, partyid: 999 },
          ],
        },
      ],
      strategyTagGroups: [{ strategy_id: 8, group_id: 'etNewRule', group_name: '华东客户', tags: [{ id: 'stNewVip', name: '华东VIP' }] }],
    });
    const customer = s.seeded[0]!.external_userid!;
    wecom.staffMark(s.wecomCorpid, 'zhangsan', customer, ['stNewVip'], []);
    const op = await s.pull('full');
    expect(op).toMatchObject({ status: 'succeeded', result: { problems: [] } });
    const [rule] = await db().db.select().from(strategies).where(eq(strategies.corpId, s.corpId));
    expect(rule).toMatchObject({ name: '华东销售规则组', parentId: 0, adminList: ['lisi'] });
    const range = await db().db.select().from(strategyRanges).where(eq(strategyRanges.corpId, s.corpId));
    expect(range.map((r) => [r.type, r.node])).toEqual([[1, 'zhangsan']]);
    expect(await localMarks(s.corpId)).toContain(`zhangsan|${customer}|华东VIP`);
    // Mapped now: a second pull reads no details and changes nothing.
    const again = await s.pull('full');
    expect(again.result).toMatchObject({ created: 0, updated: 0, deleted: 0, marked: 0, unmarked: 0, problems: [] });
  });

  it('a stopped pull resumes at the last committed page: no duplicate, same result', async () => {
    const s = await scene();
    let pages = 0;
    const first: OperationWorker = s.worker({
      beforeChunk: async () => {
        pages += 1;
        if (pages === 2) await first.stop(); // the process goes away after the first customer page
      },
    });
    const res = await s.api.post('/connector/pulls', { mode: 'full' });
    await first.drain();
    const [mid] = await db()
      .db.select()
      .from(operations)
      .where(and(eq(operations.corpId, s.corpId), eq(operations.operationId, res.body.operationId)));
    expect(mid?.status).toBe('queued');
    expect((mid!.params as { cursor?: string }).cursor).not.toBe('');
    const partly = await localMarks(s.corpId);
    expect(partly.length).toBeGreaterThan(0);
    expect(partly.length).toBeLessThan(remoteMarks(s).length);
    await s.worker().drain();
    const op = (await s.api.get(`/operations/${res.body.operationId}`)).body.operation;
    expect(op.status).toBe('succeeded');
    expect(await localMarks(s.corpId)).toEqual(remoteMarks(s));
    const created = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'customer.created')));
    expect(created.length).toBe(250);
  }, 240_000);

  it('retries 45009 and -1, refreshes a refused token (40014), and fails clearly on a non-retryable error', async () => {
    const s = await scene({ customers: 20 });
    wecom.failNext('externalcontact/batch/get_by_user', 45009);
    wecom.failNext('externalcontact/get_corp_tag_list', -1);
    wecom.failNext('externalcontact/get_follow_user_list', 40014);
    const ok = await s.pull('full');
    expect(ok.status).toBe('succeeded');
    expect(await localMarks(s.corpId)).toEqual(remoteMarks(s));

    wecom.failNext('externalcontact/get_corp_tag_list', 60020);
    const failed = await s.pull('incremental');
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'wecom_upstream_failed' } });
    expect(failed.error.message).toContain('60020');
  });

  it('skips a customer deleted in WeCom between the listing and its read (40096), and a full pull removes it here', async () => {
    const s = await scene({ customers: 6 });
    expect((await s.pull('full')).status).toBe('succeeded');
    const gone = s.seeded[0]!.external_userid!;
    expect((await localMarks(s.corpId)).some((m) => m.includes(`|${gone}|`))).toBe(true);
    // WeCom lists the customer, then answers 40096 when it is read: deleted in between.
    wecom.failNext('externalcontact/get', 40096);
    const op = await s.pull('full');
    expect(op.status).toBe('succeeded');
    expect(op.result.problems).toEqual([`customer ${gone} was deleted in WeCom during the pull; skipped`]);
    expect((await localMarks(s.corpId)).some((m) => m.includes(`|${gone}|`))).toBe(false);
    const [{ n } = { n: -1 }] = await queryRows<{ n: number }>(
      db().db,
      sql`select count(*)::int as n from follows where corp_id = ${s.corpId} and external_userid = ${gone}`,
    );
    expect(Number(n)).toBe(0);
  });

  it('an incremental pull reads only customers added since the last pull and deletes nothing', async () => {
    const s = await scene({ customers: 10 });
    await s.pull('full');
    await db()
      .db.update(wecomConnections)
      .set({ lastPullAt: new Date(1_700_000_005_000 + 10 * 60_000) })
      .where(eq(wecomConnections.corpId, s.corpId));
    await db().db.delete(marks).where(eq(marks.corpId, s.corpId));
    const op = await s.pull('incremental');
    expect(op.status).toBe('succeeded');
    const marked = new Set((await localMarks(s.corpId)).map((m) => m.split('|')[1]));
    // Customers 5..9 were added at or after the watermark minus the margin (1_700_000_005).
    expect([...marked].sort()).toEqual(
      s.seeded
        .slice(5)
        .map((c) => c.external_userid)
        .concat(s.seeded.filter((_, i) => i < 5 && i % 4 === 0).map((c) => c.external_userid))
        .sort(),
    );
  });

  it('never answers or records a secret; bad connection input is refused with a code and changes nothing', async () => {
    const s = await scene({ customers: 3 });
    await s.api.put('/connector', { wecomCorpid: s.wecomCorpid, callbackToken: 'tok123', encodingAesKey: 'a'.repeat(43) });
    const got = await s.api.get('/connector');
    expect(got.body).toMatchObject({ connected: true, hasCallback: true, callbackUrl: `/hooks/wecom/${s.corpId}`, apiBase: wecom.url });
    expect(JSON.stringify(got.body)).not.toContain(secret);
    await s.pull('full');
    const dump = JSON.stringify(await db().db.select().from(events).where(eq(events.corpId, s.corpId)));
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain('a'.repeat(43));
    expect(dump).not.toContain('tok123');
    const tested = await s.api.post('/connector/test');
    expect(tested.body).toEqual({ ok: true, tagGroups: 2 });

    const before = await corpState(db().db, s.corpId);
    for (const body of [
      { wecomCorpid: s.wecomCorpid, encodingAesKey: 'a'.repeat(42) },
      { wecomCorpid: s.wecomCorpid, apiBase: 'ftp://example.com' },
      { wecomCorpid: s.wecomCorpid, callbackToken: 'bad token!' },
    ]) {
      const res = await s.api.put('/connector', body);
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code: 'validation_failed' });
    }
    expect(await corpState(db().db, s.corpId)).toEqual(before);

    const fresh = await buildCorp(db().db);
    const freshApi = client(app, fresh.secret);
    const first = await freshApi.put('/connector', { wecomCorpid: 'wwNew' });
    expect({ status: first.status, code: first.body.error?.code }).toEqual({ status: 400, code: 'validation_failed' });
    expect((await freshApi.get('/connector')).body).toEqual({ connected: false });
    expect((await freshApi.post('/connector/pulls', { mode: 'full' })).status).toBe(409);

    // A wrong secret: WeCom's words, not the secret.
    await s.api.put('/connector', { wecomCorpid: s.wecomCorpid, secret: 'wrong-secret' });
    const refused = await s.api.post('/connector/test');
    expect(refused.body).toMatchObject({ ok: false, errcode: 40001 });
    expect(JSON.stringify(refused.body)).not.toContain('wrong-secret');
  });

  it('keeps personal tags and customers in the corp they belong to', async () => {
    const s = await scene({ customers: 5 });
    await s.pull('full');
    const other = await buildCorp(db().db);
    expect(await db().db.select().from(customers).where(eq(customers.corpId, other.ctx.corpId))).toEqual([]);
    const owned = await db().db.select().from(personalTags).where(eq(personalTags.corpId, s.corpId));
    expect(owned.map((p) => [p.name, p.ownerUserid])).toEqual([['老朋友', 'zhangsan']]);
  });
});
