import { and, eq, sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { systemContext, withTx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { marks, ruleRuns } from '../../../db/schema/index.js';
import { EventConsumers } from '../../../events/consumers.js';
import { apiClient, buildApiScene, useTestApp } from '../../../test/api.js';
import { describeDb } from '../../../test/db.js';
import { addCustomers } from '../../customers/commands/add-customers.js';
import { ruleEngine } from './rule-engine.js';
import { dueAt } from './run-schedules.js';

it('a schedule is due once for the latest time it fired since its last run or since it was switched on', () => {
  const rule = {
    definition: { trigger: { kind: 'schedule' as const, cron: '0 3 * * *', timezone: 'Asia/Shanghai' }, conditions: {}, actions: [] },
    enabledAt: new Date('2026-03-01T00:00:00Z'),
  };
  // 03:00 in Shanghai is 19:00 UTC the day before.
  expect(dueAt(rule, null, new Date('2026-03-01T18:59:59Z'))).toBeNull();
  expect(dueAt(rule, null, new Date('2026-03-01T19:00:01Z'))).toEqual(new Date('2026-03-01T19:00:00Z'));
  // Three nights down: one run, for the latest night.
  expect(dueAt(rule, new Date('2026-03-01T19:00:00Z'), new Date('2026-03-05T08:00:00Z'))).toEqual(new Date('2026-03-04T19:00:00Z'));
  expect(dueAt(rule, new Date('2026-03-04T19:00:00Z'), new Date('2026-03-05T08:00:00Z'))).toBeNull();
  // Switched on after tonight's 03:00: tonight's run is not made up.
  expect(dueAt({ ...rule, enabledAt: new Date('2026-03-04T20:00:00Z') }, null, new Date('2026-03-05T08:00:00Z'))).toBeNull();
});

describeDb('scheduled rules', (db) => {
  let clock = new Date();
  const app = useTestApp(db, { rules: { now: () => clock, scheduleEveryMs: 0 } });
  const second: EventConsumers[] = [];
  afterAll(async () => {
    for (const c of second) await c.stop();
  });

  it('03:00 moves the unconverted to 低意向 once per night, a missed night runs once, and the run undoes', async () => {
    const s = await buildApiScene(db().db);
    const admin = apiClient(app, s.key, s.admin);
    const [hot, warm] = s.tags.map((t) => t.tagId);
    const [a, b, c] = await withTx(systemContext(db().db, s.corpId), (tx) =>
      addCustomers(
        tx,
        ['甲', '乙', '丙'].map((name) => ({ name, follows: [{ userid: s.staffA }] })),
      ),
    );
    for (const id of [a, b]) await admin.post(`/customers/${id}/follows/${s.staffA}/tags`, { add: [hot] });
    const created = await admin.post('/rules', {
      name: '每晚转入低意向',
      definition: {
        trigger: { kind: 'schedule', cron: '0 3 * * *' },
        conditions: { audience: { expression: { tag: hot } } },
        actions: [{ kind: 'move', groupId: s.group.groupId, tagId: warm }],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const ruleId = created.body.ruleId as string;
    const tagsOf = async (id: string) =>
      (
        await db()
          .db.select()
          .from(marks)
          .where(and(eq(marks.corpId, s.corpId), eq(marks.externalUserid, id)))
      ).map((m) => m.tagId);

    // The next 03:00 in Shanghai after now.
    const now = Date.now();
    const shanghaiMidnight = Math.floor((now + 8 * 3600_000) / 86_400_000) * 86_400_000 - 8 * 3600_000;
    let due = new Date(shanghaiMidnight + 3 * 3600_000);
    if (due.getTime() <= now) due = new Date(due.getTime() + 86_400_000);
    clock = new Date(due.getTime() - 60_000);
    await app().consumers.settle(s.corpId);
    expect(await tagsOf(a!)).toEqual([hot]);

    clock = new Date(due.getTime() + 5_000);
    await app().consumers.settle(s.corpId);
    await app().consumers.settle(s.corpId);
    expect(await tagsOf(a!)).toEqual([warm]);
    expect(await tagsOf(b!)).toEqual([warm]);
    expect(await tagsOf(c!)).toEqual([]);
    const [mark] = await db()
      .db.select()
      .from(marks)
      .where(and(eq(marks.corpId, s.corpId), eq(marks.externalUserid, a!)));
    expect(mark).toMatchObject({ source: 'rule', ruleId, ruleVersion: 1 });
    const [evidence] = await queryRows<{ type: string; payload: { dueAt: string } }>(
      db().db,
      sql`select type, payload from events where corp_id = ${s.corpId} and seq = ${mark!.evidenceSeq}`,
    );
    expect(evidence).toMatchObject({ type: 'rule.ran', payload: { dueAt: due.toISOString() } });
    let runs = (await admin.get(`/rules/${ruleId}/runs`)).body.runs;
    expect(runs).toMatchObject([{ status: 'applied', dueAt: due.toISOString(), customers: 2, added: 2, removed: 2 }]);

    // Undo puts 高意向 back and takes 低意向 off.
    expect((await admin.post(`/operations/${runs[0].operationId}/undo`, {})).status).toBe(200);
    expect(await tagsOf(a!)).toEqual([hot]);

    // Three nights later, with the server down in between: one run, for the latest 03:00.
    clock = new Date(due.getTime() + 3 * 86_400_000 + 3_600_000);
    await app().consumers.settle(s.corpId);
    await app().consumers.settle(s.corpId);
    runs = (await admin.get(`/rules/${ruleId}/runs`)).body.runs;
    expect(runs.map((r: { dueAt: string }) => r.dueAt)).toEqual([new Date(due.getTime() + 3 * 86_400_000).toISOString(), due.toISOString()]);
    expect(await tagsOf(a!)).toEqual([warm]);
  });

  it('two workers polling the same corp at the due time run it once', async () => {
    const s = await buildApiScene(db().db);
    const admin = apiClient(app, s.key, s.admin);
    const [hot] = s.tags.map((t) => t.tagId);
    const created = await admin.post('/rules', {
      name: '每小时',
      definition: { trigger: { kind: 'schedule', cron: '0 * * * *' }, actions: [{ kind: 'add', tagIds: [hot] }] },
    });
    const ruleId = created.body.ruleId as string;
    const other = new EventConsumers(db().db, {});
    other.register(ruleEngine({ now: () => clock, scheduleEveryMs: 0 }));
    second.push(other);
    clock = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 1_000);
    await Promise.all([app().consumers.settle(s.corpId), other.settle(s.corpId), app().consumers.settle(s.corpId), other.settle(s.corpId)]);
    await Promise.all([app().consumers.settle(s.corpId), other.settle(s.corpId)]);
    const rows = await db()
      .db.select()
      .from(ruleRuns)
      .where(and(eq(ruleRuns.corpId, s.corpId), eq(ruleRuns.ruleId, ruleId)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'applied', added: 2 });
    const ops = await queryRows<{ n: number }>(db().db, sql`select count(*)::int as n from operations where corp_id = ${s.corpId} and kind = 'rule'`);
    expect(Number(ops[0]!.n)).toBe(1);
  });
});
