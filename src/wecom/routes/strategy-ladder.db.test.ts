import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import { withTx } from '../../context.js';
import type { Db } from '../../db/client.js';
import { apps, strategies, strategyRanges } from '../../db/schema/index.js';
import { randomToken, sha256 } from '../../ids.js';
import { addStrategyTags } from '../../modules/strategies/commands/add-strategy-tags.js';
import { buildRuleGroupOrg, buildStrategy } from '../../modules/strategies/test-support.js';
import { describeDb } from '../../test/db.js';
import { appCtx, buildTagGroup } from '../../test/factories.js';
import { buildWecomCorp, callWecom, expireToken, fetchToken, snapshotCorp, useWecomApp } from '../test-support.js';

/** Everything a rule-group call could change: the tag library, marks, events, rule groups and their ranges. */
async function snapshotRules(db: Db, corpId: string) {
  return {
    ...(await snapshotCorp(db, corpId)),
    strategies: await db.select().from(strategies).where(eq(strategies.corpId, corpId)).orderBy(asc(strategies.strategyId)),
    ranges: await db
      .select()
      .from(strategyRanges)
      .where(eq(strategyRanges.corpId, corpId))
      .orderBy(asc(strategyRanges.strategyId), asc(strategyRanges.type), asc(strategyRanges.node)),
  };
}

/** A token of an ordinary app (not the customer-contact secret): WeCom refuses it the rule-group APIs with 48002. */
async function ordinaryAppToken(app: FastifyInstance, db: Db, corpId: string): Promise<string> {
  const secret = randomToken(43);
  await db.insert(apps).values({ corpId, appId: `app${randomToken(6)}`, name: '普通应用', kind: 'app', secretHash: sha256(secret) });
  return fetchToken(app, corpId, secret);
}

/** One corp's rule-group data: an org, a top-level rule group with a strategy tag group, and a corp tag. */
async function buildScene(app: FastifyInstance, db: Db) {
  const corp = await buildWecomCorp(app, db);
  const ctx = appCtx(db, corp.corpId);
  const org = await buildRuleGroupOrg(ctx);
  const strategy = await buildStrategy(ctx, { adminList: [org.boss], range: [{ type: 2, deptId: 2 }] });
  const { group, tags } = await withTx(ctx, (tx) =>
    addStrategyTags(tx, { strategyId: strategy.strategyId, groupName: '规则组标签', tags: [{ name: 'a' }, { name: 'b' }] }),
  );
  const corpTags = await buildTagGroup(ctx, ['c']);
  return { ...corp, org, strategyId: strategy.strategyId, groupId: group.groupId, tagIds: tags.map((t) => t.tagId), corpTagId: corpTags.tags[0]!.tagId };
}

type Scene = Awaited<ReturnType<typeof buildScene>>;
type Ladder = {
  path: string;
  empty: Record<string, unknown>;
  bad: (s: Scene) => [unknown, number][];
  unknown: (s: Scene) => [unknown, number][];
  ok: (s: Scene) => unknown;
};

const nope = 999_999;
const ladders: Ladder[] = [
  {
    path: 'get_strategy_tag_list',
    empty: { tag_group: [] },
    bad: () => [
      [{ strategy_id: 'x' }, 40058],
      [{ tag_id: 'etX' }, 40058],
      ['{bad json', 40058],
    ],
    unknown: () => [[{ strategy_id: nope }, 40068]],
    ok: (s) => ({ strategy_id: s.strategyId, tag_id: [s.tagIds[0]] }),
  },
  {
    path: 'add_strategy_tag',
    empty: { tag_group: {} },
    bad: (s) => [
      [{ group_name: 'g', tag: [{ name: 'x' }] }, 40058],
      [{ strategy_id: s.strategyId, group_name: 'g', tag: [] }, 41018],
      [{ strategy_id: s.strategyId, group_name: 'g', tag: [{ name: 'x'.repeat(31) }] }, 40058],
    ],
    unknown: (s) => [
      [{ strategy_id: nope, group_name: 'g', tag: [{ name: 'x' }] }, 40068],
      [{ strategy_id: s.strategyId, group_id: 'etNOPE', tag: [{ name: 'x' }] }, 40068],
    ],
    ok: (s) => ({ strategy_id: s.strategyId, group_name: '新组', tag: [{ name: '新' }] }),
  },
  {
    path: 'edit_strategy_tag',
    empty: {},
    bad: (s) => [
      [{ name: 'x' }, 41017],
      [{ id: s.tagIds[0], name: 'x'.repeat(31) }, 40058],
    ],
    unknown: (s) => [
      [{ id: 'etNOPE', name: 'x' }, 40068],
      [{ id: s.corpTagId, name: 'x' }, 40068],
    ],
    ok: (s) => ({ id: s.tagIds[0], name: '改名' }),
  },
  {
    path: 'del_strategy_tag',
    empty: {},
    bad: () => [
      [{}, 41017],
      [{ tag_id: 'etX' }, 40058],
    ],
    unknown: (s) => [
      [{ tag_id: [s.tagIds[0], 'etNOPE'] }, 40068],
      [{ tag_id: [s.corpTagId] }, 40068],
      [{ group_id: ['etNOPE'] }, 40068],
    ],
    ok: (s) => ({ tag_id: [s.tagIds[0]] }),
  },
  {
    path: 'customer_strategy/list',
    empty: { strategy: [] },
    bad: () => [
      [{ limit: -1 }, 40058],
      [{ cursor: 5 }, 40058],
    ],
    unknown: () => [[{ cursor: 'garbage' }, 50100]],
    ok: () => ({ cursor: '', limit: 1000 }),
  },
  {
    path: 'customer_strategy/get',
    empty: { strategy: {} },
    bad: () => [
      [{}, 40058],
      [{ strategy_id: '1' }, 40058],
    ],
    unknown: () => [[{ strategy_id: nope }, 40068]],
    ok: (s) => ({ strategy_id: s.strategyId }),
  },
  {
    path: 'customer_strategy/get_range',
    empty: { range: [] },
    bad: (s) => [
      [{}, 40058],
      [{ strategy_id: s.strategyId, limit: 1.5 }, 40058],
    ],
    unknown: (s) => [
      [{ strategy_id: nope }, 40068],
      [{ strategy_id: s.strategyId, cursor: 'zzz' }, 50100],
    ],
    ok: (s) => ({ strategy_id: s.strategyId, cursor: '', limit: 1000 }),
  },
  {
    path: 'customer_strategy/create',
    empty: {},
    bad: (s) => [
      [{ strategy_name: 'n' }, 40058],
      [{ admin_list: [s.org.boss] }, 40058],
      [{ strategy_name: 'n', admin_list: [s.org.boss], range: [{ type: 3, userid: 'x' }] }, 40058],
      [{ strategy_name: 'n', admin_list: [s.org.boss], range: Array.from({ length: 101 }, () => ({ type: 2, partyid: 1 })) }, 40058],
      [{ parent_id: s.strategyId, strategy_name: 'n', admin_list: [s.org.boss], range: [{ type: 2, partyid: 4 }] }, 40058],
    ],
    unknown: (s) => [
      [{ parent_id: nope, strategy_name: 'n', admin_list: [s.org.boss] }, 40068],
      [{ strategy_name: 'n', admin_list: ['nobody'] }, 40003],
      [{ strategy_name: 'n', admin_list: [s.org.boss], range: [{ type: 2, partyid: 99 }] }, 60123],
    ],
    ok: (s) => ({ parent_id: 0, strategy_name: '新规则组', admin_list: [s.org.boss], range: [{ type: 1, userid: s.org.beijing }] }),
  },
  {
    path: 'customer_strategy/edit',
    empty: {},
    bad: (s) => [
      [{}, 40058],
      [{ strategy_id: s.strategyId, range_add: { type: 1 } }, 40058],
    ],
    unknown: (s) => [
      [{ strategy_id: nope, strategy_name: 'x' }, 40068],
      [{ strategy_id: s.strategyId, range_add: [{ type: 1, userid: 'nobody' }] }, 40003],
    ],
    ok: (s) => ({ strategy_id: s.strategyId, strategy_name: '改名', range_add: [{ type: 1, userid: s.org.beijing }] }),
  },
  {
    path: 'customer_strategy/del',
    empty: {},
    bad: () => [
      [{}, 40058],
      [{ strategy_id: -1 }, 40058],
    ],
    unknown: () => [[{ strategy_id: nope }, 40068]],
    ok: (s) => ({ strategy_id: s.strategyId }),
  },
];

describeDb('wecom rule-group error ladder: token, then secret kind, then body, then ids, then success', (db) => {
  const app = useWecomApp(db);

  for (const ladder of ladders) {
    it(`${ladder.path}: 41001 → 40014 → 48002 → 40058 for GET → 42001 → bad request → unknown ids → ok, errors keeping ${JSON.stringify(ladder.empty)} and changing nothing`, async () => {
      const scene = await buildScene(app(), db().db);
      const other = await ordinaryAppToken(app(), db().db, scene.corpId);
      const call = (token: string | undefined, body: unknown) => callWecom(app(), `externalcontact/${ladder.path}`, { token, body });
      const expectError = (res: Awaited<ReturnType<typeof call>>, errcode: number, label: string) => {
        expect(res.status, label).toBe(200);
        expect(res.body, label).toEqual({ errcode, errmsg: expect.any(String), ...ladder.empty });
      };

      const before = await snapshotRules(db().db, scene.corpId);
      const ok = ladder.ok(scene);
      expectError(await call(undefined, ok), 41001, 'no token');
      expectError(await call('garbled-token', ok), 40014, 'garbled token');
      expectError(await call(other, ok), 48002, 'ordinary app token');
      expectError(await callWecom(app(), `externalcontact/${ladder.path}`, { token: scene.token, method: 'GET' }), 40058, 'GET on a POST endpoint');
      await expireToken(db().db, scene.corpId);
      expectError(await call(scene.token, ok), 42001, 'expired token');
      const token = await fetchToken(app(), scene.corpId, scene.secret);
      for (const [body, errcode] of ladder.bad(scene)) expectError(await call(token, body), errcode, `bad ${JSON.stringify(body)}`);
      for (const [body, errcode] of ladder.unknown(scene)) expectError(await call(token, body), errcode, `unknown ${JSON.stringify(body)}`);
      expect(await snapshotRules(db().db, scene.corpId)).toEqual(before);

      const res = await call(token, ok);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ errcode: 0, errmsg: 'ok' });
      for (const key of Object.keys(ladder.empty)) expect(res.body).toHaveProperty(key);
    });
  }

  it("refuses corp A's rule groups, strategy tags and groups under corp B's token, changing nothing in either corp", async () => {
    const a = await buildScene(app(), db().db);
    const b = await buildScene(app(), db().db);
    // Rule-group ids are per corp: A's second group has an id B does not have; id 1 is each corp's own.
    const aSecond = (await buildStrategy(appCtx(db().db, a.corpId), { adminList: [a.org.boss] })).strategyId;
    const post = (path: string, body: unknown) => callWecom(app(), `externalcontact/${path}`, { token: b.token, body });
    const beforeA = await snapshotRules(db().db, a.corpId);
    const beforeB = await snapshotRules(db().db, b.corpId);

    const refused: [string, unknown, number][] = [
      ['add_strategy_tag', { strategy_id: aSecond, group_name: 'g', tag: [{ name: 'x' }] }, 40068],
      ['add_strategy_tag', { strategy_id: b.strategyId, group_id: a.groupId, tag: [{ name: 'x' }] }, 40068],
      ['edit_strategy_tag', { id: a.tagIds[0], name: 'x' }, 40068],
      ['edit_strategy_tag', { id: a.groupId, name: 'x' }, 40068],
      ['del_strategy_tag', { tag_id: [a.tagIds[0]] }, 40068],
      ['del_strategy_tag', { group_id: [a.groupId] }, 40068],
      ['get_strategy_tag_list', { strategy_id: aSecond }, 40068],
      ['customer_strategy/get', { strategy_id: aSecond }, 40068],
      ['customer_strategy/get_range', { strategy_id: aSecond }, 40068],
      ['customer_strategy/edit', { strategy_id: aSecond, strategy_name: 'x' }, 40068],
      ['customer_strategy/del', { strategy_id: aSecond }, 40068],
      ['customer_strategy/create', { parent_id: aSecond, strategy_name: 'x', admin_list: [b.org.boss] }, 40068],
      ['customer_strategy/create', { strategy_name: 'x', admin_list: [a.org.boss] }, 40003],
    ];
    for (const [path, body, errcode] of refused) expect((await post(path, body)).body.errcode, `${path} ${JSON.stringify(body)}`).toBe(errcode);
    expect((await post('get_strategy_tag_list', { tag_id: a.tagIds, group_id: [] })).body).toEqual({ errcode: 0, errmsg: 'ok', tag_group: [] });
    expect((await post('get_strategy_tag_list', { group_id: [a.groupId] })).body.tag_group).toEqual([]);
    expect((await post('customer_strategy/list', {})).body.strategy).toEqual([{ strategy_id: b.strategyId }]);
    expect((await post('customer_strategy/get', { strategy_id: a.strategyId })).body.strategy.admin_list).toEqual([b.org.boss]);
    expect(await snapshotRules(db().db, a.corpId)).toEqual(beforeA);
    expect(await snapshotRules(db().db, b.corpId)).toEqual(beforeB);
  });
});
