import { expect, it } from 'vitest';
import { describeDb } from '../../test/db.js';
import { appCtx, buildCustomer, buildEmployees, buildTagGroup } from '../../test/factories.js';
import { buildWecomCorp, callWecom, expireToken, fetchToken, snapshotCorp, useWecomApp } from '../test-support.js';

/** One request to an endpoint: a JSON body for POST endpoints, a query for GET ones. */
type Req = { body?: unknown; query?: Record<string, string> };

/** The data every endpoint's ladder runs against. */
type Scene = { userid: string; customer: string; groupId: string; tagIds: string[] };

/**
 * Each endpoint's ladder after the token checks: a malformed request, a request naming unknown
 * ids (with the errcode each must give), then one that succeeds.
 */
type Ladder = {
  path: string;
  method: 'GET' | 'POST';
  empty: Record<string, unknown>;
  bad: (s: Scene) => [Req, number][];
  unknown: (s: Scene) => [Req, number][];
  ok: (s: Scene) => Req;
};

const ladders: Ladder[] = [
  {
    path: 'get_corp_tag_list',
    method: 'POST',
    empty: { tag_group: [] },
    bad: () => [
      [{ body: { tag_id: 'etX' } }, 40058],
      [{ body: { group_id: [1] } }, 40058],
      [{ body: '{bad json' }, 40058],
    ],
    unknown: () => [],
    ok: (s) => ({ body: { tag_id: [s.tagIds[0]] } }),
  },
  {
    path: 'add_corp_tag',
    method: 'POST',
    empty: { tag_group: {} },
    bad: () => [
      [{ body: { group_name: 'g', tag: [] } }, 41018],
      [{ body: { group_name: 'g', tag: [{}] } }, 41018],
      [{ body: { group_name: 'g', tag: [{ name: 'x'.repeat(31) }] } }, 40058],
      [{ body: { group_name: 'g', tag: 'x' } }, 40058],
    ],
    unknown: () => [[{ body: { group_id: 'etNOPE', tag: [{ name: 'x' }] } }, 40068]],
    ok: () => ({ body: { group_name: '新组', tag: [{ name: '新' }] } }),
  },
  {
    path: 'edit_corp_tag',
    method: 'POST',
    empty: {},
    bad: (s) => [
      [{ body: { name: 'x' } }, 41017],
      [{ body: { id: s.tagIds[0], name: 'x'.repeat(31) } }, 40058],
      [{ body: { id: s.tagIds[0], order: 1.5 } }, 40058],
    ],
    unknown: () => [[{ body: { id: 'etNOPE', name: 'x' } }, 40068]],
    ok: (s) => ({ body: { id: s.tagIds[0], name: '改名' } }),
  },
  {
    path: 'del_corp_tag',
    method: 'POST',
    empty: {},
    bad: () => [
      [{ body: {} }, 41017],
      [{ body: { tag_id: 'etX' } }, 40058],
    ],
    unknown: (s) => [
      [{ body: { tag_id: [s.tagIds[0], 'etNOPE'] } }, 40068],
      [{ body: { group_id: ['etNOPE'] } }, 40068],
    ],
    ok: (s) => ({ body: { tag_id: [s.tagIds[0]] } }),
  },
  {
    path: 'mark_tag',
    method: 'POST',
    empty: {},
    bad: (s) => [
      [{ body: { userid: s.userid, external_userid: s.customer } }, 40058],
      [{ body: { external_userid: s.customer, add_tag: [s.tagIds[0]] } }, 40003],
      [{ body: { userid: s.userid, external_userid: s.customer, add_tag: {} } }, 40058],
    ],
    unknown: (s) => [
      [{ body: { userid: 'nobody', external_userid: s.customer, add_tag: [s.tagIds[0]] } }, 40003],
      [{ body: { userid: s.userid, external_userid: 'wmNOPE', add_tag: [s.tagIds[0]] } }, 40096],
      [{ body: { userid: s.userid, external_userid: s.customer, add_tag: ['etNOPE'] } }, 40068],
    ],
    ok: (s) => ({ body: { userid: s.userid, external_userid: s.customer, add_tag: [s.tagIds[0]] } }),
  },
  {
    path: 'list',
    method: 'GET',
    empty: { external_userid: [] },
    bad: () => [[{ query: {} }, 40003]],
    unknown: () => [[{ query: { userid: 'nobody' } }, 40003]],
    ok: (s) => ({ query: { userid: s.userid } }),
  },
  {
    path: 'get',
    method: 'GET',
    empty: { external_contact: {}, follow_user: [] },
    bad: () => [[{ query: {} }, 41035]],
    unknown: (s) => [
      [{ query: { external_userid: 'wmNOPE' } }, 40096],
      [{ query: { external_userid: s.customer, cursor: 'zzz' } }, 50100],
    ],
    ok: (s) => ({ query: { external_userid: s.customer } }),
  },
  {
    path: 'batch/get_by_user',
    method: 'POST',
    empty: { external_contact_list: [], next_cursor: '' },
    bad: (s) => [
      [{ body: { userid_list: [s.userid], limit: -1 } }, 40058],
      [{ body: { userid_list: s.userid } }, 40058],
      [{ body: {} }, 40003],
    ],
    unknown: (s) => [[{ body: { userid_list: [s.userid, 'nobody'] } }, 40003]],
    ok: (s) => ({ body: { userid_list: [s.userid], limit: 100 } }),
  },
  {
    path: 'remark',
    method: 'POST',
    empty: {},
    bad: (s) => [
      [{ body: { userid: s.userid, external_userid: s.customer, remark: 'x'.repeat(21) } }, 40058],
      [{ body: { userid: s.userid, remark: 'x' } }, 41035],
      [{ body: { userid: s.userid, external_userid: s.customer, remark_mobiles: '1' } }, 40058],
    ],
    unknown: (s) => [
      [{ body: { userid: s.userid, external_userid: 'wmNOPE', remark: 'x' } }, 40096],
      [{ body: { userid: 'nobody', external_userid: s.customer, remark: 'x' } }, 40003],
    ],
    ok: (s) => ({ body: { userid: s.userid, external_userid: s.customer, remark: '好' } }),
  },
];

describeDb('wecom error ladder: token, then body, then ids, then success', (db) => {
  const app = useWecomApp(db);

  for (const ladder of ladders) {
    it(`${ladder.path}: 41001 → 40014 → 42001 → bad request → unknown ids → ok, each error keeping ${JSON.stringify(ladder.empty)} and changing nothing`, async () => {
      const corp = await buildWecomCorp(app(), db().db);
      const ctx = appCtx(db().db, corp.corpId);
      const [userid] = (await buildEmployees(ctx, 1)) as [string];
      const customer = await buildCustomer(ctx, [userid]);
      const { group, tags } = await buildTagGroup(ctx, ['a', 'b']);
      const scene: Scene = { userid, customer, groupId: group.groupId, tagIds: tags.map((t) => t.tagId) };
      const call = (token: string | undefined, req: Req) =>
        callWecom(app(), `externalcontact/${ladder.path}`, {
          token,
          method: ladder.method,
          body: ladder.method === 'POST' ? (req.body ?? {}) : undefined,
          query: req.query,
        });
      const expectError = (res: Awaited<ReturnType<typeof call>>, errcode: number, label: string) => {
        expect(res.status, label).toBe(200);
        expect(res.body, label).toEqual({ errcode, errmsg: expect.any(String), ...ladder.empty });
      };

      const before = await snapshotCorp(db().db, corp.corpId);
      const ok = ladder.ok(scene);
      expectError(await call(undefined, ok), 41001, 'no token');
      expectError(await call('garbled-token', ok), 40014, 'garbled token');
      await expireToken(db().db, corp.corpId);
      expectError(await call(corp.token, ok), 42001, 'expired token');
      const token = await fetchToken(app(), corp.corpId, corp.secret);
      for (const [req, errcode] of ladder.bad(scene)) expectError(await call(token, req), errcode, `bad ${JSON.stringify(req)}`);
      for (const [req, errcode] of ladder.unknown(scene)) expectError(await call(token, req), errcode, `unknown ${JSON.stringify(req)}`);
      expect(await snapshotCorp(db().db, corp.corpId)).toEqual(before);

      const res = await call(token, ok);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ errcode: 0, errmsg: 'ok' });
      for (const key of Object.keys(ladder.empty)) expect(res.body).toHaveProperty(key);
    });
  }
});
