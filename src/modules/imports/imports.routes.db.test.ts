import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { withTx } from '../../context.js';
import { type Db, queryRows } from '../../db/client.js';
import { customers, events, follows, marks, operationJournal, operations, tagGroups, tags } from '../../db/schema/index.js';
import { apiClient, buildApiScene, corpState, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildCustomer, buildEmployees, buildTagGroup, unique } from '../../test/factories.js';
import { givePassword, loginCookie, sessionClient } from '../../test/session.js';
import { createRole } from '../permissions/commands/create-role.js';

/** 客户 in GBK (Excel's CSV in China). */
const gbkKehu = Buffer.from([0xbf, 0xcd, 0xbb, 0xa7]);
const bom = Buffer.from([0xef, 0xbb, 0xbf]);

/** Everything an import could write for a corp, to prove a refused or dry run wrote nothing. */
async function fingerprint(db: Db, corpId: string) {
  const [counts] = await queryRows(
    db,
    sql`select
    (select count(*)::int from customers where corp_id = ${corpId}) as customers,
    (select count(*)::int from operations where corp_id = ${corpId}) as operations,
    (select count(*)::int from operation_journal where corp_id = ${corpId}) as changes`,
  );
  return { ...(await corpState(db, corpId)), counts };
}

describeDb('imports and customer export', (db) => {
  const app = useTestApp(db);
  const send = async (key: string, body: Buffer | string, query = '', as?: string, contentType = 'text/csv') => {
    const headers: Record<string, string> = { authorization: `Bearer ${key}`, 'content-type': contentType };
    if (as) headers['tagloom-acting-user'] = as;
    const res = await app().inject({ method: 'POST', url: `/api/v1/imports${query}`, headers, payload: body });
    return { status: res.statusCode, body: res.json() };
  };
  const exportCsv = async (key: string, as?: string) => {
    const res = await app().inject({
      method: 'GET',
      url: '/api/v1/customers/export',
      headers: { authorization: `Bearer ${key}`, ...(as ? { 'tagloom-acting-user': as } : {}) },
    });
    return { status: res.statusCode, headers: res.headers, text: res.body };
  };

  it('a dry run reports what would be written, and writes nothing', async () => {
    const s = await buildApiScene(db().db);
    const csv = `external_userid,name,gender,userid,tags\n,新客户,女,${s.staffA},${s.group.name}/高意向\n${s.customer},,,${s.staffA},低意向\n${s.customer},,,${s.admin},高意向;新组/新标签\n`;
    const before = await fingerprint(db().db, s.corpId);
    const res = await send(s.key, csv, '?dryRun=true&createTags=true');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: true,
      encoding: 'utf-8',
      rows: 3,
      customersNew: 1,
      relationsNew: 2,
      marks: 4,
      tagsToCreate: ['新组/新标签'],
      errors: [],
    });
    expect(await fingerprint(db().db, s.corpId)).toEqual(before);

    const bad = await send(s.key, 'userid,name,gender,tags\nnobody,张三,x,不存在\n', '?dryRun=true');
    expect(bad.body).toMatchObject({ valid: false, rows: 1 });
    expect(bad.body.errors).toEqual([
      { line: 2, column: 'gender', message: expect.stringMatching(/not a gender/) },
      { line: 2, column: 'userid', message: 'unknown employee "nobody"' },
      { line: 2, column: 'tags', message: 'unknown tag "不存在"' },
    ]);
    const unknown = await send(s.key, `userid,name,tags\nnobody,张三,不存在\n${s.staffA},,\n`, '?dryRun=true');
    expect(unknown.body.errors).toEqual([
      { line: 2, column: 'userid', message: 'unknown employee "nobody"' },
      { line: 2, column: 'tags', message: 'unknown tag "不存在"' },
      { line: 3, column: 'name', message: 'a name is required for a new customer' },
    ]);
    expect(await fingerprint(db().db, s.corpId)).toEqual(before);
  });

  it('an import is one undoable operation: customers, relations, marks, journal and one operation.applied', async () => {
    const s = await buildApiScene(db().db);
    const [t0, t1] = [s.tags[0]!.tagId, s.tags[1]!.tagId];
    const csv = Buffer.concat([
      bom,
      Buffer.from(
        `external_userid,name,province,city,corp_name,userid,add_time,tags\r\nwmImported${unique()},"王五, 先生",上海,上海,"""好""公司",${s.staffA},2026-03-01T09:30:00+08:00,${s.group.name}/高意向\r\n`,
      ),
    ]);
    const id = csv.toString('utf8').split('\r\n')[1]!.split(',')[0]!;
    const more = Buffer.from(`${id},,,,,${s.staffB},,低意向\r\n${s.customer},,,,,${s.staffA},,低意向\r\n`);
    const res = await send(s.key, Buffer.concat([csv, more]), '?fileName=leads.csv');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      operationId: expect.stringMatching(/^op/),
      result: { rows: 3, customersCreated: 1, relationsCreated: 2, tagsCreated: 0, added: 3 },
    });
    const { operationId } = res.body;

    const [customer] = await db()
      .db.select()
      .from(customers)
      .where(and(eq(customers.corpId, s.corpId), eq(customers.externalUserid, id)));
    expect(customer).toMatchObject({ name: '王五, 先生', province: '上海', corpName: '"好"公司' });
    const rel = await db()
      .db.select()
      .from(follows)
      .where(and(eq(follows.corpId, s.corpId), eq(follows.externalUserid, id)));
    expect(rel.map((f) => f.userid).sort()).toEqual([s.staffA, s.staffB].sort());
    expect(rel.find((f) => f.userid === s.staffA)!.addTime.toISOString()).toBe('2026-03-01T01:30:00.000Z');
    const made = await db()
      .db.select()
      .from(marks)
      .where(and(eq(marks.corpId, s.corpId), eq(marks.operationId, operationId)));
    expect(made.map((m) => `${m.externalUserid}|${m.userid}|${m.tagId}|${m.source}`).sort()).toEqual(
      [`${id}|${s.staffA}|${t0}|import`, `${id}|${s.staffB}|${t1}|import`, `${s.customer}|${s.staffA}|${t1}|import`].sort(),
    );
    const journal = await db()
      .db.select()
      .from(operationJournal)
      .where(and(eq(operationJournal.corpId, s.corpId), eq(operationJournal.operationId, operationId)));
    expect(journal).toHaveLength(3);
    expect(journal.every((j) => j.change === 1)).toBe(true);
    const [op] = await db()
      .db.select()
      .from(operations)
      .where(and(eq(operations.corpId, s.corpId), eq(operations.operationId, operationId)));
    expect(op).toMatchObject({
      kind: 'import',
      status: 'succeeded',
      source: 'import',
      actorLabel: 'app:customer_contact',
      params: { fileName: 'leads.csv', rows: 3 },
      result: { customersCreated: 1, relationsCreated: 2, added: 3 },
    });
    const applied = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'operation.applied')));
    expect(applied).toHaveLength(1);
    expect(applied[0]).toMatchObject({ operationId, subjectId: operationId, payload: { added: 3, removed: 0, import: true } });
    expect((applied[0]!.payload as { tagIds: string[] }).tagIds.sort()).toEqual([t0, t1].sort());
    const created = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'customer.created')));
    expect(created.some((e) => (e.payload as { externalUserids: string[] }).externalUserids.includes(id))).toBe(true);

    // Importing the same file again adds nothing new (the customer exists, marks are there).
    const again = await send(s.key, Buffer.concat([csv, more]), '?dryRun=true');
    expect(again.body).toMatchObject({ valid: true, customersNew: 0, relationsNew: 0, marks: 0 });
  });

  it('streams an import’s progress as Server-Sent Events when asked: progress up to the total, then the outcome after the commit; a refused file still answers 400 JSON', async () => {
    const s = await buildApiScene(db().db);
    const headers = { authorization: `Bearer ${s.key}`, 'content-type': 'text/csv', accept: 'text/event-stream' };
    const rows = Array.from({ length: 2500 }, (_, i) => `${s.staffA},流式客户${i},${s.group.name}/高意向`).join('\n');
    const res = await app().inject({ method: 'POST', url: '/api/v1/imports?fileName=big.csv', headers, payload: `userid,name,tags\n${rows}\n` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = res.body
      .trim()
      .split('\n\n')
      .map((block) => {
        const [event, data] = block.split('\n');
        return { event: event!.replace('event: ', ''), data: JSON.parse(data!.replace('data: ', '')) };
      });
    const progress = events.filter((e) => e.event === 'progress').map((e) => e.data as { done: number; total: number });
    // 2,500 new customers (two chunks, each with its relation) and 2,500 marks.
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.at(-1)).toEqual({ done: 5000, total: 5000 });
    expect(progress.every((p, i) => i === 0 || p.done >= progress[i - 1]!.done)).toBe(true);
    const last = events.at(-1)!;
    expect(last.event).toBe('outcome');
    expect(last.data.result).toMatchObject({ rows: 2500, customersCreated: 2500, added: 2500 });
    const [op] = await db()
      .db.select()
      .from(operations)
      .where(and(eq(operations.corpId, s.corpId), eq(operations.operationId, last.data.operationId)));
    expect(op).toMatchObject({ kind: 'import', status: 'succeeded' });

    const before = await fingerprint(db().db, s.corpId);
    const refused = await app().inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers,
      payload: `userid,name,tags\nnobody,某客户,${s.group.name}/高意向\n`,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details[0]).toMatchObject({ line: 2, column: 'userid' });
    expect(await fingerprint(db().db, s.corpId)).toEqual(before);
  });

  it('reads GBK files, and creates tags and groups when asked (createTags) under tag.create', async () => {
    const s = await buildApiScene(db().db);
    const group = unique('G');
    const gbk = Buffer.concat([Buffer.from('userid,name,tags\n'), Buffer.from(`${s.staffA},`), gbkKehu, Buffer.from(`,${group}/`), gbkKehu, Buffer.from('\n')]);
    const refused = await send(s.key, gbk);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([
      { path: 'line 2: tags', message: `unknown tag "${group}/客户" (pass createTags to create it)`, line: 2, column: 'tags' },
    ]);
    // Staff may apply tags but not create them.
    const staff = await send(s.key, gbk, '?createTags=true', s.staffA);
    expect(staff.body.error.details[0].message).toMatch(/you may not create tags/);

    const dry = await send(s.key, gbk, '?dryRun=true&createTags=true');
    expect(dry.body).toMatchObject({ valid: true, encoding: 'gbk', customersNew: 1, marks: 1, tagsToCreate: [`${group}/客户`] });
    const res = await send(s.key, gbk, '?createTags=true');
    expect(res.status).toBe(201);
    expect(res.body.result).toMatchObject({ customersCreated: 1, tagsCreated: 1, added: 1 });
    const [g] = await db()
      .db.select()
      .from(tagGroups)
      .where(and(eq(tagGroups.corpId, s.corpId), eq(tagGroups.name, group)));
    const [tag] = await db()
      .db.select()
      .from(tags)
      .where(and(eq(tags.corpId, s.corpId), eq(tags.groupId, g!.groupId)));
    expect(tag!.name).toBe('客户');
    const [c] = await db()
      .db.select()
      .from(customers)
      .where(and(eq(customers.corpId, s.corpId), eq(customers.name, '客户')));
    expect(c).toBeDefined();

    // A second import merges into the group that now exists.
    const next = await send(s.key, `userid,name,tags\n${s.staffA},另一位,${group}/客户;${group}/第二个\n`, '?createTags=true');
    expect(next.body.result).toMatchObject({ tagsCreated: 1, added: 2 });
  });

  it('refuses malformed CSV, bad encodings and forbidden tags, writing nothing', async () => {
    const s = await buildApiScene(db().db);
    const before = await fingerprint(db().db, s.corpId);
    const malformed = await send(s.key, `userid,name\n${s.staffA},"张三\n${s.staffA},李四\n`);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details).toEqual(
      [{ path: 'line 2, column 10', message: 'malformed CSV: the quoted field opened here is never closed', line: 2, column: s.staffA.length + 2 }].map(
        (d) => ({ ...d, path: `line 2, column ${d.column}` }),
      ),
    );
    const dry = await send(s.key, `userid,name\n${s.staffA},"张"三\n`, '?dryRun=true');
    expect(dry.body.errors).toEqual([{ line: 2, column: s.staffA.length + 5, message: expect.stringMatching(/after a closing quote/) }]);

    const latin1 = Buffer.from([...Buffer.from('userid,name\nu,'), 0xe9, 0x0a]);
    const wrong = await send(s.key, latin1);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/not UTF-8 or GBK/) });

    expect((await send(s.key, 'userid,name\n')).body.error.details[0].message).toMatch(/no data rows/);
    const json = await app().inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
      payload: { a: 1 },
    });
    expect(json.statusCode).toBe(400);

    // The group may be applied only by the admin: staff are refused per line, and nothing is written.
    const locked = await buildTagGroup(s.ctx, ['限定']);
    await db()
      .db.update(tagGroups)
      .set({ scope: { apply: { userids: [s.admin] } } })
      .where(and(eq(tagGroups.corpId, s.corpId), eq(tagGroups.groupId, locked.group.groupId)));
    const mid = await fingerprint(db().db, s.corpId);
    const forbidden = await send(s.key, `userid,name,tags\n${s.staffA},新人,低意向\n${s.staffA},新人2,${locked.group.name}/限定\n`, '', s.staffA);
    expect(forbidden.status).toBe(400);
    expect(forbidden.body.error.details).toEqual([
      { path: 'line 3: tags', message: `you may not apply tags of group "${locked.group.name}"`, line: 3, column: 'tags' },
    ]);
    // Staff reach only their own relations; the intern may change nothing.
    const scope = await send(s.key, `userid,name\n${s.staffB},新人\n`, '', s.staffA);
    expect(scope.body.error.details[0]).toMatchObject({ path: 'line 2: userid', message: expect.stringMatching(/outside your data scope/) });
    expect((await send(s.key, `userid,name\n${s.intern},新人\n`, '', s.intern)).status).toBe(403);
    expect(await fingerprint(db().db, s.corpId)).toEqual(mid);
    expect(mid.counts).toEqual(before.counts);
  });

  it("refuses a cross-site CSV upload riding the console cookie; the console's upload (Tagloom-Upload header) and its export download pass", async () => {
    const s = await buildApiScene(db().db);
    const admin = sessionClient(app, await loginCookie(app, s.corpId, s.admin, await givePassword(db().db, s.corpId, s.admin)));
    const csv = `userid,name,tags\n${s.staffA},跨站客户,${s.group.name}/高意向\n`;
    const before = await fingerprint(db().db, s.corpId);
    // What a hostile page can send with the victim's cookie: a simple text/csv (or form / octet-stream) POST, no custom header.
    for (const type of ['text/csv', 'application/octet-stream', 'text/plain']) {
      const res = await admin.post('/imports', csv, { 'content-type': type });
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 403, code: 'forbidden' });
    }
    // A browser marking the request as cross-site is refused even if it somehow carries the header.
    const crossSite = await admin.post('/imports', csv, { 'content-type': 'text/csv', 'tagloom-upload': '1', 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect(await fingerprint(db().db, s.corpId)).toEqual(before);

    const dry = await admin.post('/imports?dryRun=true', csv, { 'content-type': 'text/csv', 'tagloom-upload': '1', 'sec-fetch-site': 'same-origin' });
    expect(dry.body).toMatchObject({ valid: true, rows: 1, customersNew: 1, marks: 1 });
    const done = await admin.post('/imports?fileName=leads.csv', csv, { 'content-type': 'text/csv', 'tagloom-upload': '1', 'sec-fetch-site': 'same-origin' });
    expect(done.status).toBe(201);
    const [op] = await db()
      .db.select()
      .from(operations)
      .where(and(eq(operations.corpId, s.corpId), eq(operations.operationId, done.body.operationId)));
    expect(op).toMatchObject({ kind: 'import', source: 'import', actorLabel: `user:${s.admin}` });

    const exported = await admin.get('/customers/export');
    expect(exported.status).toBe(200);
    expect(exported.headers['content-disposition']).toMatch(/^attachment; filename="customers-.+\.csv"$/);
    expect(
      String(exported.body)
        .replace(/^\uFEFF/, '')
        .split('\r\n')[0],
    ).toBe('external_userid,name,gender,province,city,corp_name,followers,tags');
  });

  it('exports the customers in scope with only the tags the reader may see', async () => {
    const s = await buildApiScene(db().db);
    await withTx(s.ctx, (tx) =>
      createRole(tx, {
        roleId: 'exporter',
        name: '导出员',
        permissions: ['customer.view', 'customer.update', 'customer.export', 'tag.apply', 'personalTag.manage'],
        dataScope: 'own',
      }),
    );
    const [exporter] = await buildEmployees(s.ctx, 1, 'exporter');
    const mine = await buildCustomer(s.ctx, [exporter!, s.staffA], { name: '我的客户' });
    const hidden = await buildTagGroup(s.ctx, ['机密']);
    await db()
      .db.update(tagGroups)
      .set({ scope: { view: { userids: [s.admin] } } })
      .where(and(eq(tagGroups.corpId, s.corpId), eq(tagGroups.groupId, hidden.group.groupId)));
    const api = apiClient(app, s.key);
    await api.post(`/customers/${mine}/follows/${s.staffA}/tags`, { add: [s.tags[0]!.tagId, hidden.tags[0]!.tagId] });
    const own = await apiClient(app, s.key, exporter).post('/personal-tags', { name: '老朋友' });
    const theirs = await apiClient(app, s.key, s.staffA).post('/personal-tags', { name: '别人的' });
    await apiClient(app, s.key, exporter).post(`/customers/${mine}/follows/${exporter}/tags`, { add: [own.body.tagId] });
    await apiClient(app, s.key, s.staffA).post(`/customers/${mine}/follows/${s.staffA}/tags`, { add: [theirs.body.tagId] });

    expect((await exportCsv(s.key, s.staffA)).status).toBe(403);
    const asExporter = await exportCsv(s.key, exporter);
    expect(asExporter.status).toBe(200);
    expect(asExporter.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(asExporter.text.startsWith('\uFEFFexternal_userid,name,gender,province,city,corp_name,followers,tags\r\n')).toBe(true);
    const lines = asExporter.text.trim().split('\r\n');
    expect(lines).toHaveLength(2); // only the customer the exporter follows
    expect(lines[1]).toContain(mine);
    expect(lines[1]!.endsWith(`,${[`${s.group.name}/高意向`, '老朋友'].sort().join(';')}`)).toBe(true);

    const asApp = (await exportCsv(s.key)).text.trim().split('\r\n');
    expect(asApp).toHaveLength(3); // both customers of the corp
    const mineRow = asApp.find((l) => l.startsWith(mine))!;
    expect(mineRow).toContain(`${hidden.group.name}/机密`);
    expect(mineRow).not.toContain('老朋友');
    expect(mineRow).not.toContain('别人的');
  });

  it('exports in keyset pages: more customers than one page', async () => {
    const s = await buildApiScene(db().db);
    const rows = Array.from({ length: 2100 }, (_, i) => `${s.staffA},客户${i}`).join('\n');
    expect((await send(s.key, `userid,name\n${rows}\n`)).status).toBe(201);
    const out = await exportCsv(s.key);
    const lines = out.text.trim().split('\r\n');
    expect(lines).toHaveLength(1 + 2101);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0])).size).toBe(2101);
  });

  it('exports follow relations in the import file’s columns: imported back as is it changes nothing, edited it applies the edits', async () => {
    const s = await buildApiScene(db().db);
    await apiClient(app, s.key).post(`/customers/${s.customer}/follows/${s.staffA}/tags`, { add: [s.tags[0]!.tagId] });
    const own = await apiClient(app, s.key, s.staffA).post('/personal-tags', { name: '老朋友' });
    await apiClient(app, s.key, s.staffA).post(`/customers/${s.customer}/follows/${s.staffA}/tags`, { add: [own.body.tagId] });
    // More relations than one keyset page.
    expect((await send(s.key, `userid,name\n${Array.from({ length: 1100 }, (_, i) => `${s.staffA},客户${i}`).join('\n')}\n`)).status).toBe(201);

    const res = await app().inject({ method: 'GET', url: '/api/v1/customers/export?layout=relations', headers: { authorization: `Bearer ${s.key}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/filename="relations-/);
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('external_userid,name,gender,province,city,corp_name,userid,add_time,tags');
    expect(lines).toHaveLength(1 + 2 + 1100);
    const rowOf = (userid: string) => lines.findIndex((l) => l.startsWith(`${s.customer},`) && l.includes(`,${userid},`));
    // The personal tag stays out: an import never takes one.
    expect(lines[rowOf(s.staffA)]!.endsWith(`,${s.group.name}/高意向`)).toBe(true);
    expect(lines[rowOf(s.staffB)]!.endsWith(',')).toBe(true);

    const asIs = await send(s.key, res.body, '?dryRun=true');
    expect(asIs.body).toMatchObject({ valid: true, rows: 1102, customersNew: 0, relationsNew: 0, marks: 0, errors: [] });
    lines[rowOf(s.staffB)] += `${s.group.name}/低意向`;
    const edited = await send(s.key, `${lines.join('\r\n')}\r\n`);
    expect(edited.status).toBe(201);
    const onB = await db()
      .db.select()
      .from(marks)
      .where(and(eq(marks.corpId, s.corpId), eq(marks.externalUserid, s.customer), eq(marks.userid, s.staffB)));
    expect(onB.map((m) => m.tagId)).toEqual([s.tags[1]!.tagId]);

    const unknownLayout = await app().inject({ method: 'GET', url: '/api/v1/customers/export?layout=rows', headers: { authorization: `Bearer ${s.key}` } });
    expect(unknownLayout.statusCode).toBe(400);
    expect(unknownLayout.json().error).toMatchObject({
      code: 'validation_failed',
      details: [expect.objectContaining({ path: expect.stringContaining('layout') })],
    });
  });
});
