import { and, asc, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { messageLimits } from '../../../contracts/messages.js';
import { type Db, queryRows } from '../../db/client.js';
import { customerEvents, events, messageReceipts } from '../../db/schema/index.js';
import { apiClient, detailPaths, expectRefused, fingerprint, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { unique } from '../../test/factories.js';
import { buildRegionalCorp } from '../../test/org-fixture.js';

/** The tables (of every table in the database) with a row whose text holds `marker`, in any column. */
async function tablesHolding(db: Db, marker: string): Promise<string[]> {
  const tables = await queryRows<{ table_name: string }>(
    db,
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const found: string[] = [];
  for (const { table_name } of tables) {
    const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table_name)} t where t::text like ${`%${marker}%`}`);
    if (row!.n > 0) found.push(table_name);
  }
  return found;
}

describeDb('chat messages API', (db) => {
  const app = useTestApp(db);

  const scene = async () => {
    const f = await buildRegionalCorp(db().db);
    const admin = apiClient(app, f.secret);
    const tagId = f.grade.tags[0]!.tagId;
    const addRule = async (trigger: Record<string, unknown>, name = unique('规则')): Promise<string> => {
      const res = await admin.post('/rules', {
        name,
        definition: { trigger: { kind: 'message.keyword', ...trigger }, actions: [{ kind: 'add', tagIds: [tagId] }] },
      });
      expect(res.status).toBe(201);
      return res.body.ruleId;
    };
    const message = (text: string, over: Record<string, unknown> = {}) => ({
      userid: f.people.shStaff,
      externalUserid: f.shCustomer,
      direction: 'in',
      text,
      sentAt: '2026-12-01T08:00:00.000Z',
      idempotencyKey: unique('msg'),
      ...over,
    });
    const send = (...messages: unknown[]) => admin.post('/messages', { messages });
    const facts = () =>
      db()
        .db.select({
          externalUserid: customerEvents.externalUserid,
          type: customerEvents.type,
          target: customerEvents.target,
          dedupKey: customerEvents.dedupKey,
        })
        .from(customerEvents)
        .where(eq(customerEvents.corpId, f.corpId))
        .orderBy(asc(customerEvents.id));
    const targets = async () => (await facts()).map((r) => r.target);
    const eventsOf = (type: string) =>
      db()
        .db.select({ subjectType: events.subjectType, subjectId: events.subjectId, payload: events.payload })
        .from(events)
        .where(and(eq(events.corpId, f.corpId), eq(events.type, type)))
        .orderBy(asc(events.seq));
    return { f, admin, tagId, addRule, message, send, facts, targets, eventsOf };
  };

  it('turns keyword hits into message.keyword facts (target: the keyword) and one message.matched per message', async () => {
    const { f, admin, addRule, message, send, facts, eventsOf } = await scene();
    const visit = await addRule({ keywords: ['预约', '看房'] });
    const price = await addRule({ keywords: ['报价'] });
    const m = message('我想预约周三看房，顺便要个报价', { sentAt: '2026-12-01T08:30:00.000Z' });
    const res = await send(m);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      messages: [{ idempotencyKey: m.idempotencyKey, duplicate: false, keywords: ['预约', '看房', '报价'] }],
      matched: 1,
      duplicates: 0,
    });
    expect(await facts()).toEqual(
      ['预约', '看房', '报价'].map((k) => ({ externalUserid: f.shCustomer, type: 'message.keyword', target: k, dedupKey: `msg:${m.idempotencyKey}:${k}` })),
    );
    expect(await eventsOf('message.matched')).toEqual([
      {
        subjectType: 'customer',
        subjectId: f.shCustomer,
        payload: {
          userid: f.people.shStaff,
          direction: 'in',
          sentAt: '2026-12-01T08:30:00.000Z',
          idempotencyKey: m.idempotencyKey,
          keywords: ['预约', '看房', '报价'],
          rules: [
            { ruleId: visit, keywords: ['预约', '看房'] },
            { ruleId: price, keywords: ['报价'] },
          ],
        },
      },
    ]);
    // The same fact event as POST /customer-events, which is what the audience index refreshes on.
    expect((await eventsOf('customer_event.recorded')).map((e) => e.payload)).toEqual([
      {
        count: 3,
        types: ['message.keyword'],
        externalUserids: [f.shCustomer],
        facts: expect.arrayContaining([expect.objectContaining({ externalUserid: f.shCustomer, type: 'message.keyword' })]),
      },
    ]);
    const receipts = await db().db.select().from(messageReceipts).where(eq(messageReceipts.corpId, f.corpId));
    expect(receipts).toMatchObject([
      { idempotencyKey: m.idempotencyKey, userid: f.people.shStaff, externalUserid: f.shCustomer, keywords: ['预约', '看房', '报价'] },
    ]);
    expect(receipts[0]!.sentAt.toISOString()).toBe('2026-12-01T08:30:00.000Z');
    const audience = await admin.post('/audiences/count', { text: 'event:message.keyword(target=报价)' });
    expect(audience.status).toBe(200);
    expect(audience.body.count).toBe(1);
  });

  it('stores the text nowhere: no table of the database holds a marker word from it', async () => {
    const { f, addRule, message, send } = await scene();
    await addRule({ keywords: ['预约'] });
    const marker = `Zq${unique('marker')}Xv`;
    const m = message(`${marker} 预约 ${marker}`, { direction: 'out' });
    expect((await send(m, message(`只是寒暄 ${marker}`))).body.matched).toBe(1);
    // The check can see: the key is kept (in the receipt, the event and the facts' dedup keys).
    expect(await tablesHolding(db().db, m.idempotencyKey)).toEqual(['customer_events', 'events', 'message_receipts']);
    expect(await tablesHolding(db().db, marker)).toEqual([]);
    expect(f.corpId).toBeTruthy();
  });

  it('answers a message sent again, or twice in one batch, as a duplicate with the first keywords and writes nothing new', async () => {
    const { f, addRule, message, send, targets, eventsOf } = await scene();
    await addRule({ keywords: ['预约'] });
    const first = message('预约');
    const quiet = message('你好');
    expect((await send(first, { ...first, text: '别的内容' }, quiet)).body).toEqual({
      messages: [
        { idempotencyKey: first.idempotencyKey, duplicate: false, keywords: ['预约'] },
        { idempotencyKey: first.idempotencyKey, duplicate: true, keywords: ['预约'] },
        { idempotencyKey: quiet.idempotencyKey, duplicate: false, keywords: [] },
      ],
      matched: 1,
      duplicates: 1,
    });
    const before = await fingerprint(db().db, f.corpId);
    // The key decides, not the text: a different text under a seen key is still the same message.
    const again = await send({ ...first, text: '预约 预约' }, { ...quiet, text: '预约' });
    expect(again.body).toEqual({
      messages: [
        { idempotencyKey: first.idempotencyKey, duplicate: true, keywords: ['预约'] },
        { idempotencyKey: quiet.idempotencyKey, duplicate: true, keywords: [] },
      ],
      matched: 0,
      duplicates: 2,
    });
    expect(await fingerprint(db().db, f.corpId)).toEqual(before);
    expect(await targets()).toEqual(['预约']);
    expect(await eventsOf('message.matched')).toHaveLength(1);
  });

  it('answers two concurrent batches with the same keys (in opposite orders) once each: no deadlock, no double facts', async () => {
    const { addRule, message, send, targets } = await scene();
    await addRule({ keywords: ['预约'] });
    const batch = Array.from({ length: 200 }, () => message('预约'));
    const answers = await Promise.all([send(...batch), send(...[...batch].reverse())]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.reduce((n, a) => n + a.body.matched, 0)).toBe(200);
    expect(answers.reduce((n, a) => n + a.body.duplicates, 0)).toBe(200);
    expect(answers.every((a) => a.body.messages.every((r: { keywords: string[] }) => r.keywords.join() === '预约'))).toBe(true);
    expect(await targets()).toHaveLength(200);
  });

  it('refuses a batch naming an unknown employee or customer, naming each field, and writes nothing', async () => {
    const { f, addRule, message, send } = await scene();
    await addRule({ keywords: ['预约'] });
    const res = await expectRefused(
      db().db,
      f.corpId,
      () => send(message('预约'), message('预约', { userid: 'nobody' }), message('预约', { externalUserid: 'wmNobody' })),
      400,
      'validation_failed',
    );
    expect(detailPaths(res)).toEqual(['body.messages.1.userid', 'body.messages.2.externalUserid']);
  });

  it('refuses more than the batch limit and malformed lines, naming the field', async () => {
    const { f, message, send } = await scene();
    const over = Array.from({ length: messageLimits.batchMax + 1 }, () => message('预约'));
    const res = await expectRefused(db().db, f.corpId, () => send(...over), 400, 'validation_failed');
    expect(detailPaths(res)).toEqual(['body.messages']);
    const bad = await expectRefused(db().db, f.corpId, () => send(message(''), message('x', { direction: 'sideways' })), 400, 'validation_failed');
    expect(detailPaths(bad)).toEqual(['body.messages.0.text', 'body.messages.1.direction']);
  });

  it('needs customerEvent.record: staff and interns are refused, an admin may send', async () => {
    const { f, addRule, message } = await scene();
    await addRule({ keywords: ['预约'] });
    for (const who of [f.people.shIntern, f.people.shStaff]) {
      const as = apiClient(app, f.secret, who);
      await expectRefused(db().db, f.corpId, () => as.post('/messages', { messages: [message('预约')] }), 403, 'forbidden');
    }
    const admin = apiClient(app, f.secret, f.people.admin);
    expect((await admin.post('/messages', { messages: [message('预约')] })).body.matched).toBe(1);
  });

  it('follows rule changes: a paused, edited or deleted rule stops matching, a re-enabled one matches again', async () => {
    const { admin, tagId, addRule, message, send, targets } = await scene();
    const ruleId = await addRule({ keywords: ['预约'] });
    await send(message('预约'));
    expect(await targets()).toEqual(['预约']);

    expect((await admin.post(`/rules/${ruleId}/pause`)).status).toBe(200);
    expect((await send(message('预约'))).body.messages[0].keywords).toEqual([]);
    expect(await targets()).toEqual(['预约']);

    expect((await admin.post(`/rules/${ruleId}/enable`)).status).toBe(200);
    expect((await send(message('预约'))).body.messages[0].keywords).toEqual(['预约']);

    const edited = await admin.patch(`/rules/${ruleId}`, {
      definition: { trigger: { kind: 'message.keyword', keywords: ['签约'] }, actions: [{ kind: 'add', tagIds: [tagId] }] },
    });
    expect(edited.status).toBe(200);
    expect((await send(message('预约还是签约'))).body.messages[0].keywords).toEqual(['签约']);

    expect((await admin.delete(`/rules/${ruleId}`)).status).toBe(204);
    expect((await send(message('签约'))).body.messages[0].keywords).toEqual([]);
    expect(await targets()).toEqual(['预约', '预约', '签约']);
  });

  it('matches contains vs exact and any vs all as the rule says', async () => {
    const { addRule, message, send } = await scene();
    await addRule({ keywords: ['好的'], mode: 'exact' });
    await addRule({ keywords: ['价格', '优惠'], match: 'all' });
    await addRule({ keywords: ['团购', '砍价'], match: 'any' });
    const keywordsOf = async (text: string) => (await send(message(text))).body.messages[0].keywords;
    expect(await keywordsOf('好的')).toEqual(['好的']);
    expect(await keywordsOf('好的，我再看看')).toEqual([]);
    expect(await keywordsOf('价格怎么样')).toEqual([]);
    expect(await keywordsOf('价格有优惠吗')).toEqual(['价格', '优惠']);
    expect(await keywordsOf('能砍价吗')).toEqual(['砍价']);
  });

  it('writes only the receipt for a message that matches no rule', async () => {
    const { f, addRule, message, send } = await scene();
    await addRule({ keywords: ['预约'] });
    const before = await fingerprint(db().db, f.corpId);
    const m = message('今天天气不错');
    expect((await send(m)).body).toEqual({ messages: [{ idempotencyKey: m.idempotencyKey, duplicate: false, keywords: [] }], matched: 0, duplicates: 0 });
    const after = await fingerprint(db().db, f.corpId);
    const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
    expect(changed).toEqual(['message_receipts']);
  });
});
