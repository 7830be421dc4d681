import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { withTx } from '../../context.js';
import { events, loginFailures, sessions } from '../../db/schema/index.js';
import { sha256 } from '../../ids.js';
import { apiClient, buildApiScene, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { appCtx, buildEmployees } from '../../test/factories.js';
import { givePassword, login, loginCookie, sessionClient, testIp } from '../../test/session.js';
import { updateEmployee } from '../org/commands/update-employee.js';

describeDb('console login', (db) => {
  const app = useTestApp(db);

  it('logs in: 200 with the user, a random session cookie (httpOnly, SameSite=Strict, 12 h) stored only as its hash', async () => {
    const s = await buildApiScene(db().db);
    const password = await givePassword(db().db, s.corpId, s.admin);
    const res = await login(app, { corpId: s.corpId, username: s.admin, password });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ corpId: s.corpId, userid: s.admin, role: 'admin', departments: [] });
    expect(Object.values(res.body.user.abilities).every(Boolean)).toBe(true);
    expect(res.setCookie).toMatch(/^tagloom_session=[A-Za-z0-9]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    const token = res.setCookie!.split(';')[0]!.split('=')[1]!;
    const stored = await db().db.select().from(sessions).where(eq(sessions.userid, s.admin));
    expect(stored.map((r) => r.tokenHash)).toEqual([sha256(token)]);
    expect(stored[0]!.expiresAt.getTime() - Date.now()).toBeGreaterThan(12 * 3600_000 - 60_000);

    const secure = await login(app, { corpId: s.corpId, username: s.admin, password }, { headers: { 'x-forwarded-proto': 'https' } });
    expect(secure.setCookie).toMatch(/; Secure$/);
    const [event] = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'employee.logged_in')))
      .limit(1);
    expect(event).toMatchObject({ actor: `user:${s.admin}`, source: 'console', subjectId: s.admin });
  });

  it('answers wrong corp, unknown user, departed employee, no password and wrong password with the same 401', async () => {
    const s = await buildApiScene(db().db);
    const password = await givePassword(db().db, s.corpId, s.staffA);
    const [leaver] = await buildEmployees(s.ctx, 1);
    const leaverPassword = await givePassword(db().db, s.corpId, leaver!);
    await withTx(appCtx(db().db, s.corpId), (tx) => updateEmployee(tx, { userid: leaver!, status: 'left' }));
    const attempts = [
      { corpId: 'wwNOPE', username: s.staffA, password },
      { corpId: s.corpId, username: 'nobody', password },
      { corpId: s.corpId, username: leaver!, password: leaverPassword },
      { corpId: s.corpId, username: s.staffB, password },
      { corpId: s.corpId, username: s.staffA, password: `${password}x` },
    ];
    const answers = [];
    for (const body of attempts) {
      const res = await login(app, body);
      expect(res.setCookie).toBeUndefined();
      answers.push({ status: res.status, code: res.body.error.code, message: res.body.error.message });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(
      new Set([JSON.stringify({ status: 401, code: 'unauthorized', message: 'The corp, username or password is wrong.' })]),
    );
    const bad = await login(app, { corpId: s.corpId, username: s.staffA });
    expect({ status: bad.status, code: bad.body.error.code }).toEqual({ status: 400, code: 'validation_failed' });
  });

  it('rate-limits: after 5 failures one username gets 429 even with the right password; a success clears the count', async () => {
    const s = await buildApiScene(db().db);
    const password = await givePassword(db().db, s.corpId, s.staffA);
    const wrong = { corpId: s.corpId, username: s.staffA, password: 'wrong-password' };
    for (let i = 0; i < 5; i += 1) expect((await login(app, wrong)).status).toBe(401);
    const limited = await login(app, { corpId: s.corpId, username: s.staffA, password });
    expect({ status: limited.status, code: limited.body.error.code }).toEqual({ status: 429, code: 'rate_limited' });
    expect(limited.setCookie).toBeUndefined();
    // Refused attempts do not count as failures; only the five wrong passwords are on record.
    expect(await db().db.select().from(loginFailures).where(eq(loginFailures.username, s.staffA))).toHaveLength(5);
    // Another employee of the same corp is not affected.
    const other = await givePassword(db().db, s.corpId, s.staffB);
    for (let i = 0; i < 4; i += 1) expect((await login(app, { corpId: s.corpId, username: s.staffB, password: 'nope-nope-nope' })).status).toBe(401);
    expect((await login(app, { corpId: s.corpId, username: s.staffB, password: other })).status).toBe(200);
    expect(await db().db.select().from(loginFailures).where(eq(loginFailures.username, s.staffB))).toHaveLength(0);
  });

  it('rate-limits one IP after 20 failures across usernames', async () => {
    const s = await buildApiScene(db().db);
    const password = await givePassword(db().db, s.corpId, s.admin);
    const ip = testIp();
    for (let i = 0; i < 20; i += 1)
      expect((await login(app, { corpId: s.corpId, username: `guess${i}`, password: 'whatever-guess' }, { ip })).status).toBe(401);
    expect((await login(app, { corpId: s.corpId, username: s.admin, password }, { ip })).status).toBe(429);
    expect((await login(app, { corpId: s.corpId, username: s.admin, password })).status).toBe(200);
  });

  it('GET /auth/me needs credentials; login is the only open route; an app key is not a user', async () => {
    const s = await buildApiScene(db().db);
    expect((await apiClient(app, null).get('/auth/me')).status).toBe(401);
    expect((await sessionClient(app, 'tagloom_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').get('/auth/me')).status).toBe(401);
    expect((await apiClient(app, s.key).get('/auth/me')).body.error.code).toBe('forbidden');
    const acting = await apiClient(app, s.key, s.intern).get('/auth/me');
    expect(acting.body).toMatchObject({ userid: s.intern, role: 'readonly', abilities: { 'customer.view': true, 'tagGroup.create': false } });
  });

  it('logout ends the session and clears the cookie', async () => {
    const s = await buildApiScene(db().db);
    const cookie = await loginCookie(app, s.corpId, s.staffA, await givePassword(db().db, s.corpId, s.staffA));
    const client = sessionClient(app, cookie);
    expect((await client.get('/auth/me')).body).toMatchObject({ userid: s.staffA, role: 'staff' });
    const out = await client.post('/auth/logout');
    expect(out.status).toBe(204);
    expect(out.headers['set-cookie']).toMatch(/^tagloom_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
    expect((await client.get('/auth/me')).status).toBe(401);
    expect(await db().db.select().from(sessions).where(eq(sessions.userid, s.staffA))).toEqual([]);
    expect((await apiClient(app, s.key, s.staffA).post('/auth/logout')).body.error.code).toBe('forbidden');
  });

  it('changes the password: checks the current one, ends the other sessions, keeps this one', async () => {
    const s = await buildApiScene(db().db);
    const old = await givePassword(db().db, s.corpId, s.staffA);
    const here = sessionClient(app, await loginCookie(app, s.corpId, s.staffA, old));
    const elsewhere = sessionClient(app, await loginCookie(app, s.corpId, s.staffA, old));
    const short = await here.post('/auth/password', { currentPassword: old, newPassword: 'short' });
    expect({ status: short.status, path: short.body.error.details[0].path }).toEqual({ status: 400, path: 'body.newPassword' });
    const wrong = await here.post('/auth/password', { currentPassword: 'not-the-password', newPassword: 'a-new-long-password' });
    expect({ status: wrong.status, path: wrong.body.error.details[0].path }).toEqual({ status: 400, path: 'body.currentPassword' });
    expect((await elsewhere.get('/auth/me')).status).toBe(200);

    const ok = await here.post('/auth/password', { currentPassword: old, newPassword: 'a-new-long-password' });
    expect(ok).toMatchObject({ status: 200, body: { sessionsEnded: 1 } });
    expect((await here.get('/auth/me')).status).toBe(200);
    expect((await elsewhere.get('/auth/me')).status).toBe(401);
    expect((await login(app, { corpId: s.corpId, username: s.staffA, password: old })).status).toBe(401);
    expect((await login(app, { corpId: s.corpId, username: s.staffA, password: 'a-new-long-password' })).status).toBe(200);
    expect((await apiClient(app, s.key, s.staffA).post('/auth/password', { currentPassword: old, newPassword: 'another-long-one' })).body.error.code).toBe(
      'forbidden',
    );
  });

  it('a session acts as its employee with their role: a read-only user gets 403 creating a tag group', async () => {
    const s = await buildApiScene(db().db);
    const intern = sessionClient(app, await loginCookie(app, s.corpId, s.intern, await givePassword(db().db, s.corpId, s.intern)));
    const body = { name: '新组', tags: [{ name: '新' }] };
    await expectRefused(db().db, s.corpId, () => intern.post('/tag-groups', body), 403, 'forbidden');
    expect((await intern.get('/tag-groups')).status).toBe(200);

    const admin = sessionClient(app, await loginCookie(app, s.corpId, s.admin, await givePassword(db().db, s.corpId, s.admin)));
    // A console user is always themselves: the acting-user header does not apply to sessions.
    const created = await admin.post('/tag-groups', body, { 'tagloom-acting-user': s.intern });
    expect(created.status).toBe(201);
    const [event] = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'tag_group.created'), eq(events.subjectId, created.body.groupId)));
    expect(event).toMatchObject({ actor: `user:${s.admin}`, source: 'console' });
  });

  it('refuses cookie-authenticated writes that a cross-site page could send', async () => {
    const s = await buildApiScene(db().db);
    const admin = sessionClient(app, await loginCookie(app, s.corpId, s.admin, await givePassword(db().db, s.corpId, s.admin)));
    const form = () => admin.post('/tag-groups', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    const text = () => admin.post('/tag-groups', JSON.stringify({ name: '组', tags: [{ name: '签' }] }), { 'content-type': 'text/plain' });
    const crossSite = () => admin.post('/tag-groups', { name: '组', tags: [{ name: '签' }] }, { 'sec-fetch-site': 'cross-site' });
    const emptyForm = () => admin.post('/auth/logout', '', { 'content-type': 'application/x-www-form-urlencoded' });
    for (const send of [form, text, crossSite, emptyForm]) await expectRefused(db().db, s.corpId, send, 403, 'forbidden');
    expect((await admin.get('/auth/me')).status).toBe(200);
    expect((await admin.post('/tag-groups', { name: '组', tags: [{ name: '签' }] }, { 'sec-fetch-site': 'same-origin' })).status).toBe(201);
  });
});
