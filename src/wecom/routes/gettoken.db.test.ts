import { expect, it } from 'vitest';
import { describeDb } from '../../test/db.js';
import { buildCorp } from '../../test/factories.js';
import { buildWecomCorp, callWecom, expireToken, useWecomApp } from '../test-support.js';

describeDb('wecom gettoken and wire conventions', (db) => {
  const app = useWecomApp(db);

  it("issues a token in WeCom's shape and hands out the same one while it is valid", async () => {
    const corp = await buildCorp(db().db);
    const first = await callWecom(app(), 'gettoken', { query: { corpid: corp.corpId, corpsecret: corp.secret } });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ errcode: 0, errmsg: 'ok', access_token: expect.any(String), expires_in: 7200 });
    expect(first.body.access_token.length).toBeLessThanOrEqual(512);
    const again = await callWecom(app(), 'gettoken', { query: { corpid: corp.corpId, corpsecret: corp.secret } });
    expect(again.body.access_token).toBe(first.body.access_token);
    expect(again.body.expires_in).toBeGreaterThan(7000);
  });

  it('reports a missing secret first, then a missing corpid, a bad corpid and a bad secret', async () => {
    const corp = await buildCorp(db().db);
    const cases: [Record<string, string>, number][] = [
      [{}, 41004],
      [{ corpid: corp.corpId }, 41004],
      [{ corpid: corp.corpId, corpsecret: '' }, 41004],
      [{ corpsecret: corp.secret }, 41002],
      [{ corpid: 'wwNOPE', corpsecret: corp.secret }, 40013],
      [{ corpid: corp.corpId, corpsecret: 'wrong' }, 40001],
    ];
    for (const [query, errcode] of cases) {
      const res = await callWecom(app(), 'gettoken', { query });
      expect(res.status, JSON.stringify(query)).toBe(200);
      expect(res.body.errcode, JSON.stringify(query)).toBe(errcode);
      expect(res.body.access_token).toBeUndefined();
    }
  });

  it("refuses another corp's secret for this corpid (40001)", async () => {
    const a = await buildCorp(db().db);
    const b = await buildCorp(db().db);
    const res = await callWecom(app(), 'gettoken', { query: { corpid: a.corpId, corpsecret: b.secret } });
    expect(res.body.errcode).toBe(40001);
  });

  it('takes the token only from the query string: header or body tokens read as missing (41001)', async () => {
    const { token } = await buildWecomCorp(app(), db().db);
    const inHeader = await callWecom(app(), 'externalcontact/get_corp_tag_list', { body: {}, headers: { authorization: `Bearer ${token}` } });
    expect(inHeader.body).toMatchObject({ errcode: 41001, tag_group: [] });
    const inBody = await callWecom(app(), 'externalcontact/get_corp_tag_list', { body: { access_token: token } });
    expect(inBody.body).toMatchObject({ errcode: 41001, tag_group: [] });
  });

  it('tells a garbled token (40014) from an expired one (42001); a new gettoken works again', async () => {
    const corp = await buildWecomCorp(app(), db().db);
    const garbled = await callWecom(app(), 'externalcontact/list', { token: `${corp.token}x`, query: { userid: 'u' } });
    expect(garbled.body).toMatchObject({ errcode: 40014, external_userid: [] });
    expect(garbled.body.errmsg).toContain('invalid access_token');
    await expireToken(db().db, corp.corpId);
    const expired = await callWecom(app(), 'externalcontact/get_corp_tag_list', { token: corp.token, body: {} });
    expect(expired.body).toMatchObject({ errcode: 42001, tag_group: [] });
    const fresh = await callWecom(app(), 'gettoken', { query: { corpid: corp.corpId, corpsecret: corp.secret } });
    expect(fresh.body.access_token).not.toBe(corp.token);
    const ok = await callWecom(app(), 'externalcontact/get_corp_tag_list', { token: fresh.body.access_token, body: {} });
    expect(ok.body).toEqual({ errcode: 0, errmsg: 'ok', tag_group: [] });
  });

  it('checks the token before the body: bad JSON with a bad token is 40014, with a good one 40058', async () => {
    const { token } = await buildWecomCorp(app(), db().db);
    const badToken = await callWecom(app(), 'externalcontact/add_corp_tag', { token: 'nope', body: '{"group_name":' });
    expect(badToken.body).toMatchObject({ errcode: 40014, tag_group: {} });
    const badJson = await callWecom(app(), 'externalcontact/add_corp_tag', { token, body: '{"group_name":' });
    expect(badJson.status).toBe(200);
    expect(badJson.body).toMatchObject({ errcode: 40058, tag_group: {} });
  });

  it('answers HTTP 200 with errcode on known paths, 404 with an empty body on unknown ones', async () => {
    const { token } = await buildWecomCorp(app(), db().db);
    const unknown = await callWecom(app(), 'externalcontact/no_such_api', { token, body: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.raw).toBe('');
    const getOnPost = await callWecom(app(), 'externalcontact/mark_tag', { token, method: 'GET' });
    expect(getOnPost.status).toBe(200);
    expect(getOnPost.body.errcode).toBe(40058);
    const wrongType = await callWecom(app(), 'externalcontact/get_corp_tag_list', { token, body: { tag_id: 'etX' } });
    expect(wrongType.body).toMatchObject({ errcode: 40058, tag_group: [] });
    const notObject = await callWecom(app(), 'externalcontact/get_corp_tag_list', { token, body: '[1]' });
    expect(notObject.body.errcode).toBe(40058);
    const tooLarge = await callWecom(app(), 'externalcontact/get_corp_tag_list', { token, body: { tag_id: ['x'.repeat(5 * 1024 * 1024)] } });
    expect(tooLarge.status).toBe(200);
    expect(tooLarge.body).toMatchObject({ errcode: 40058, tag_group: [] });
  });

  it('writes errmsg as WeCom does: English text, then a hint', async () => {
    const res = await callWecom(app(), 'gettoken', { query: { corpid: 'wwNOPE', corpsecret: 's' } });
    expect(res.body.errmsg).toMatch(/^[^.]*[a-z], hint: \[req[A-Za-z0-9]+\]$/);
  });
});
