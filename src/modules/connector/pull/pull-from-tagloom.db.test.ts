import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { withTx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { useTestApp } from '../../../test/api.js';
import { describeDb } from '../../../test/db.js';
import { buildCorp, buildCustomer, buildEmployees, buildTagGroup } from '../../../test/factories.js';
import { markTags } from '../../customers/commands/mark-tags.js';
import { OperationWorker } from '../../operations/jobs/worker.js';

// The second check: the pull reads another Tagloom's /cgi-bin (the WeCom-compatible API) as it would
// read WeCom. Here the "other Tagloom" is the same server listening on a port, serving another corp.
describeDb('pull from another Tagloom’s /cgi-bin', (db) => {
  // useTestApp closes the app (and so the port it listens on) after the suite.
  const app = useTestApp(db, { runJobs: false });

  it('the pulled corp matches the source corp (tags, customers, marks)', async () => {
    const source = await buildCorp(db().db);
    const users = await buildEmployees(source.ctx, 2);
    const library = await buildTagGroup(source.ctx, ['金卡', '银卡'], '会员');
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const id = await buildCustomer(source.ctx, [users[i % 2]!]);
      ids.push(id);
      await withTx(source.ctx, (tx) => markTags(tx, { userid: users[i % 2]!, externalUserid: id, add: [library.tags[i % 2]!.tagId] }));
    }
    const address = await app().listen({ port: 0, host: '127.0.0.1' });
    const target = await buildCorp(db().db);
    const saved = await app().inject({
      method: 'PUT',
      url: '/api/v1/connector',
      headers: { authorization: `Bearer ${target.secret}` },
      payload: { wecomCorpid: source.ctx.corpId, secret: source.secret, apiBase: address },
    });
    expect(saved.statusCode).toBe(200);
    const queued = await app().inject({
      method: 'POST',
      url: '/api/v1/connector/pulls',
      headers: { authorization: `Bearer ${target.secret}` },
      payload: { mode: 'full' },
    });
    expect(queued.statusCode).toBe(202);
    await new OperationWorker(db().db, { kind: db().kind, secretBox: app().secretBox }).drain();
    const op = (
      await app().inject({ method: 'GET', url: `/api/v1/operations/${queued.json().operationId}`, headers: { authorization: `Bearer ${target.secret}` } })
    ).json().operation;
    expect(op.status).toBe('succeeded');
    const view = async (corpId: string) =>
      (
        await queryRows<{ line: string }>(
          db().db,
          sql`select m.userid || '|' || m.external_userid || '|' || g.name || '/' || t.name as line from marks m
              join tags t on t.corp_id = m.corp_id and t.tag_id = m.tag_id join tag_groups g on g.corp_id = t.corp_id and g.group_id = t.group_id
              where m.corp_id = ${corpId}`,
        )
      )
        .map((r) => r.line)
        .sort();
    expect(await view(target.ctx.corpId)).toEqual(await view(source.ctx.corpId));
    const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(db().db, sql`select count(*)::int as n from customers where corp_id = ${target.ctx.corpId}`);
    expect(Number(n)).toBe(12);
  }, 240_000);
});
