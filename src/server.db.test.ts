import { Writable } from 'node:stream';
import { and, count, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { buildApp, serverLogger } from './app.js';
import { corps, customers, marks } from './db/schema/index.js';
import { readEnv } from './env.js';
import { ensureDemoCorp } from './server.js';
import { describeDb } from './test/db.js';

describeDb('server start-up', (db) => {
  it('seeds the demo corp into an empty database once, reachable with TAGLOOM_DEMO_SECRET', async () => {
    const env = readEnv({ TAGLOOM_DEMO_SECRET: 'demo-secret-for-tests' });
    const lines: string[] = [];
    await ensureDemoCorp(db(), env, (l) => lines.push(l));
    await ensureDemoCorp(db(), env, (l) => lines.push(l));
    expect(lines.filter((l) => l.startsWith('Demo corp ready'))).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('demo-secret-for-tests');
    const [{ n }] = (await db().db.select({ n: count() }).from(customers).where(eq(customers.corpId, 'ww-demo'))) as [{ n: number }];
    expect(n).toBe(5000);
    expect(await db().db.select().from(corps)).toHaveLength(1);

    const app = await buildApp({ db: db().db });
    const reply = await app.inject({ url: '/cgi-bin/gettoken?corpid=ww-demo&corpsecret=demo-secret-for-tests' });
    expect(reply.json()).toMatchObject({ errcode: 0, expires_in: 7200 });
    const list = await app.inject({ method: 'POST', url: `/cgi-bin/externalcontact/get_corp_tag_list?access_token=${reply.json().access_token}`, payload: {} });
    expect(list.json().tag_group.map((g: { group_name: string }) => g.group_name)).toEqual(
      expect.arrayContaining(['客户等级', '购买意向', '客户来源', '投诉客户']),
    );
    await app.close();
  });

  it('warms every corp’s audience index at start, so the demo smart group fills without a request', async () => {
    const app = await buildApp({ db: db().db, listen: db().listen, warmAudiences: true });
    const members = async () => {
      const res = await app.inject({ url: '/api/v1/smart-groups', headers: { authorization: 'Bearer demo-secret-for-tests' } });
      return (res.json().groups as { name: string; tags: { name: string; members: number }[] }[]).find((g) => g.name === '自动分层')?.tags ?? [];
    };
    // No request reaches the app while the rule marks appear: only the warm-up can have built the index.
    const ruleMarks = async () =>
      Number(
        (
          (await db()
            .db.select({ n: count() })
            .from(marks)
            .where(and(eq(marks.corpId, 'ww-demo'), eq(marks.source, 'rule')))) as [{ n: number }]
        )[0].n,
      );
    const started = Date.now();
    while (Date.now() - started < 20_000 && (await ruleMarks()) === 0) await new Promise((r) => setTimeout(r, 100));
    expect(await ruleMarks()).toBeGreaterThan(0);
    // The counts come from the index, which takes the sync's events in once no older transaction
    // on the server is still open (other suites share it): wait for them rather than race.
    while (Date.now() - started < 30_000 && !(await members()).every((t) => t.members > 0)) await new Promise((r) => setTimeout(r, 100));
    const tags = await members();
    expect(tags.map((t) => t.name).sort()).toEqual(['直播观众', '近7天活跃']);
    expect(tags.every((t) => t.members > 0)).toBe(true);
    const live = await app.inject({
      method: 'POST',
      url: '/api/v1/audiences/count',
      headers: { authorization: 'Bearer demo-secret-for-tests' },
      payload: { text: 'event:live.attended' },
    });
    expect(live.json().count).toBe(tags.find((t) => t.name === '直播观众')!.members);
    await app.close();
  });

  it('answers /readyz 503 while it builds the audience indexes, then 200 with every corp’s index built', async () => {
    const app = await buildApp({ db: db().db, listen: db().listen, warmAudiences: true, health: db().health });
    const first = await app.inject({ url: '/readyz' });
    if (first.statusCode === 503) expect(first.json()).toEqual({ ready: false, warmingCorps: 1, database: 'up' });
    let ready = first;
    const started = Date.now();
    while (ready.statusCode !== 200 && Date.now() - started < 20_000) {
      await new Promise((r) => setTimeout(r, 50));
      ready = await app.inject({ url: '/readyz' });
    }
    expect(ready.json()).toEqual({ ready: true, warmingCorps: 0, database: 'up' });
    expect(app.audiences.has('ww-demo')).toBe(true);
    await app.close();
  });

  it('never writes access tokens or secrets to the request log', async () => {
    let logged = '';
    const stream = new Writable({
      write(chunk, _enc, done) {
        logged += chunk.toString();
        done();
      },
    });
    const app = await buildApp({ db: db().db, logger: { ...serverLogger, level: 'info', stream } });
    await app.inject({ url: '/cgi-bin/gettoken?corpid=ww-demo&corpsecret=demo-secret-for-tests' });
    await app.inject({ url: '/cgi-bin/externalcontact/list?access_token=sometoken123&userid=x' });
    await app.close();
    expect(logged).toContain('/cgi-bin/gettoken');
    expect(logged).not.toContain('demo-secret-for-tests');
    expect(logged).not.toContain('sometoken123');
  });
});
