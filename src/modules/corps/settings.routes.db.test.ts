import { expect, it } from 'vitest';
import { apiClient, buildApiScene, detailPaths, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildEmployees } from '../../test/factories.js';
import { givePassword, loginCookie, sessionClient } from '../../test/session.js';
import { readMomentSettings } from '../moments/moment-settings.js';

describeDb('settings routes', (db) => {
  const app = useTestApp(db);

  it('GET /settings: 401 → the defaults merged with what the corp set, and the bounds', async () => {
    const s = await buildApiScene(db().db);
    expect((await apiClient(app, null).get('/settings')).status).toBe(401);
    const res = await apiClient(app, s.key, s.intern).get('/settings');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      limits: { nameMaxLength: 16, tagsPerGroup: 3000, corpTagsMax: 10000 },
      bounds: { nameMaxLength: 30, tagsPerGroup: 3000, corpTagsMax: 10000 },
      moments: { weeklyCap: 3, quietHours: { start: '22:00', end: '08:00' }, notInterestedStreak: 3, fallbackHour: 20, attributionDays: 7 },
    });
  });

  it('PATCH /settings: 401 → 400 lists every issue → 403 for all but admins and apps → 200', async () => {
    const s = await buildApiScene(db().db);
    const [manager] = await buildEmployees(s.ctx, 1, 'manager');
    const patch = (body: unknown, as?: string) => () => apiClient(app, s.key, as).patch('/settings', body);
    await expectRefused(db().db, s.corpId, () => apiClient(app, null).patch('/settings', { limits: { nameMaxLength: 20 } }), 401, 'unauthorized');
    const bad = await expectRefused(
      db().db,
      s.corpId,
      patch({ limits: { nameMaxLength: 31, tagsPerGroup: 0, corpTagsMax: 2.5, nameMax: 1 } }),
      400,
      'validation_failed',
    );
    expect(detailPaths(bad)).toEqual(['body.limits.nameMaxLength', 'body.limits.tagsPerGroup', 'body.limits.corpTagsMax', 'body.limits.nameMax']);
    await expectRefused(db().db, s.corpId, patch({}), 400, 'validation_failed');
    await expectRefused(db().db, s.corpId, patch({ limits: {} }), 400, 'validation_failed');
    // The flat shape of earlier releases is refused by name, not half-applied.
    const flat = await expectRefused(db().db, s.corpId, patch({ nameMaxLength: 20 }), 400, 'validation_failed');
    expect(detailPaths(flat)).toEqual(['body.nameMaxLength', 'body.limits']);
    const widened = await expectRefused(
      db().db,
      s.corpId,
      patch({ limits: { nameMaxLength: 20 }, bounds: { nameMaxLength: 99, tagsPerGroup: 3000, corpTagsMax: 10000 } }),
      400,
      'validation_failed',
    );
    expect(detailPaths(widened)).toEqual(['body.bounds']);
    for (const who of [s.intern, s.staffA, manager!]) await expectRefused(db().db, s.corpId, patch({ limits: { nameMaxLength: 20 } }, who), 403, 'forbidden');

    // An admin in their own session; an app acting as the admin may not (settings are never borrowed).
    await expectRefused(db().db, s.corpId, patch({ limits: { nameMaxLength: 20 } }, s.admin), 403, 'forbidden');
    const admin = sessionClient(app, await loginCookie(app, s.corpId, s.admin, await givePassword(db().db, s.corpId, s.admin)));
    const res = await admin.patch('/settings', { limits: { tagsPerGroup: 50 } });
    expect(res.status).toBe(200);
    expect(res.body.limits).toEqual({ nameMaxLength: 16, tagsPerGroup: 50, corpTagsMax: 10000 });
    expect((await apiClient(app, s.key).patch('/settings', { limits: { corpTagsMax: 500 } })).body.limits).toEqual({
      nameMaxLength: 16,
      tagsPerGroup: 50,
      corpTagsMax: 500,
    });
    // What GET answers goes back as is, with one limit changed.
    const read = (await apiClient(app, s.key).get('/settings')).body;
    const roundTrip = await apiClient(app, s.key).patch('/settings', { ...read, limits: { ...read.limits, nameMaxLength: 20 } });
    expect(roundTrip.status, JSON.stringify(roundTrip.body)).toBe(200);
    expect(roundTrip.body).toEqual({ ...read, limits: { ...read.limits, nameMaxLength: 20 } });
  });

  it('a name over the limit is name_too_long and says the limit; raising the limit to 30 lets a 20-character name in', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    const twenty = '一二三四五六七八九十一二三四五六七八九十';
    const tagTooLong = await expectRefused(db().db, s.corpId, () => api.post('/tag-groups', { name: '组', tags: [{ name: twenty }] }), 400, 'name_too_long');
    expect(tagTooLong.body.error.message).toMatch(/has 20 characters; the limit is 16/);
    expect(tagTooLong.body.error.details).toMatchObject([{ limit: 16 }]);
    await expectRefused(db().db, s.corpId, () => api.patch(`/tags/${s.tags[0]!.tagId}`, { name: twenty }), 400, 'name_too_long');
    await expectRefused(db().db, s.corpId, () => api.patch(`/tag-groups/${s.group.groupId}`, { name: twenty }), 400, 'name_too_long');
    // Exactly 16 characters is fine.
    expect((await api.post('/tag-groups', { name: twenty.slice(0, 16), tags: [{ name: twenty.slice(4) }] })).status).toBe(201);

    expect((await api.patch('/settings', { limits: { nameMaxLength: 30 } })).body.limits.nameMaxLength).toBe(30);
    const created = await api.post('/tag-groups', { name: twenty, tags: [{ name: twenty }] });
    expect(created.status).toBe(201);
    expect(created.body.tags[0].name).toBe(twenty);
    await expectRefused(db().db, s.corpId, () => api.patch('/settings', { limits: { nameMaxLength: 31 } }), 400, 'validation_failed');
  });

  it('Moments settings: PATCH changes some and keeps the rest, GET reads them back, readMomentSettings sees them, bad values change nothing', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    const defaults = (await api.get('/settings')).body.moments;
    const changed = await api.patch('/settings', { moments: { weeklyCap: 5, quietHours: { start: '23:00' }, notInterestedStreak: 4 } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const expected = { ...defaults, weeklyCap: 5, quietHours: { start: '23:00', end: '08:00' }, notInterestedStreak: 4 };
    expect(changed.body.moments).toEqual(expected);
    expect(changed.body.limits).toEqual({ nameMaxLength: 16, tagsPerGroup: 3000, corpTagsMax: 10000 });
    expect((await api.get('/settings')).body.moments).toEqual(expected);
    expect(await readMomentSettings(s.ctx)).toEqual(expected);
    // Limits and Moments settings change independently of each other.
    expect((await api.patch('/settings', { limits: { nameMaxLength: 20 } })).body.moments).toEqual(expected);
    const both = await api.patch('/settings', { limits: { tagsPerGroup: 100 }, moments: { fallbackHour: 9, attributionDays: 14 } });
    expect(both.body).toMatchObject({ limits: { nameMaxLength: 20, tagsPerGroup: 100 }, moments: { ...expected, fallbackHour: 9, attributionDays: 14 } });
    // What GET answers goes back as is.
    const read = (await api.get('/settings')).body;
    expect((await api.patch('/settings', read)).body).toEqual(read);

    const refused = async (body: unknown, paths: string[]) => {
      const res = await expectRefused(db().db, s.corpId, () => api.patch('/settings', body), 400, 'validation_failed');
      expect(detailPaths(res)).toEqual(paths);
    };
    await refused({ moments: { quietHours: { start: '08:00', end: '08:00' } } }, ['body.moments.quietHours.end']);
    // One end moved onto the stored other end.
    await refused({ moments: { quietHours: { end: '23:00' } } }, ['body.moments.quietHours.end']);
    await refused({ moments: { quietHours: { start: '8:00', end: '24:00' } } }, ['body.moments.quietHours.start', 'body.moments.quietHours.end']);
    await refused({ moments: { quietHours: { start: '22:30' } } }, ['body.moments.quietHours.start']);
    await refused({ moments: { weeklyCap: 0, notInterestedStreak: 21, fallbackHour: 24, attributionDays: 1.5, streak: 3 } }, [
      'body.moments.weeklyCap',
      'body.moments.notInterestedStreak',
      'body.moments.fallbackHour',
      'body.moments.attributionDays',
      'body.moments.streak',
    ]);
    await refused({ moments: {} }, ['body.moments']);
    await refused({ moments: { weeklyCap: 4 }, limits: { nameMaxLength: 31 } }, ['body.limits.nameMaxLength']);
    // Only those who may change settings.
    await expectRefused(db().db, s.corpId, () => apiClient(app, s.key, s.staffA).patch('/settings', { moments: { weeklyCap: 9 } }), 403, 'forbidden');
    expect((await api.get('/settings')).body.moments).toMatchObject({ weeklyCap: 5, fallbackHour: 9 });
  });
});
