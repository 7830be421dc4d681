import { expect, it } from 'vitest';
import { apiClient, corpState, useTestApp } from '../test/api.js';
import { describeDb } from '../test/db.js';
import { buildRegionalCorp } from '../test/org-fixture.js';

describeDb('data scopes and per-group scopes on the real routes', (db) => {
  const app = useTestApp(db);

  async function scene() {
    const corp = await buildRegionalCorp(db().db);
    const as = (userid: string) => apiClient(app, corp.secret, userid);
    // 协议价客户: seen by 华东 only, applied only by the 华东 manager.
    const scoped = await apiClient(app, corp.secret).patch(`/tag-groups/${corp.contract.group.groupId}`, {
      scope: { view: { regions: ['华东'] }, apply: { userids: [corp.people.hdManager] } },
    });
    expect(scoped.status).toBe(200);
    expect(scoped.body.scope).toEqual({ view: { regions: ['华东'] }, apply: { userids: [corp.people.hdManager] } });
    return { corp, as, p: corp.people };
  }

  const customerIds = async (client: ReturnType<typeof apiClient>) =>
    (await client.get('/customers?limit=100')).body.customers.map((c: { externalUserid: string }) => c.externalUserid).sort();

  it('staff and interns see only their own customers; managers their region; admins the corp', async () => {
    const { corp, as, p } = await scene();
    expect(await customerIds(as(p.shStaff))).toEqual([corp.shCustomer]);
    expect(await customerIds(as(p.bjStaff))).toEqual([corp.bjCustomer]);
    expect(await customerIds(as(p.shIntern))).toEqual([corp.internCustomer]);
    expect(await customerIds(as(p.hdManager))).toEqual([corp.shCustomer, corp.internCustomer].sort());
    expect(await customerIds(as(p.bjManager))).toEqual([corp.bjCustomer]);
    expect(await customerIds(as(p.admin))).toEqual([corp.shCustomer, corp.bjCustomer, corp.internCustomer].sort());
    expect((await as(p.shStaff).get(`/customers/${corp.bjCustomer}`)).status).toBe(404);
    expect((await as(p.hdManager).get(`/customers/${corp.bjCustomer}`)).status).toBe(404);
    expect((await as(p.hdManager).get(`/customers/${corp.shCustomer}`)).status).toBe(200);
  });

  it('a group seen only by 华东 is absent for 华北 staff, in listings and on customers', async () => {
    const { corp, as, p } = await scene();
    const contractTag = corp.contract.tags[0]!.tagId;
    expect((await as(p.hdManager).post(`/customers/${corp.shCustomer}/follows/${p.shStaff}/tags`, { add: [contractTag] })).status).toBe(200);
    const groupNames = async (userid: string) => (await as(userid).get('/tag-groups')).body.groups.map((g: { name: string }) => g.name).sort();
    expect(await groupNames(p.shStaff)).toEqual(['协议价客户', '客户等级']);
    expect(await groupNames(p.bjStaff)).toEqual(['客户等级']);
    // Library keepers (managers, admins) see every group, wherever they are.
    expect(await groupNames(p.bjManager)).toEqual(['协议价客户', '客户等级']);
    const shView = await as(p.shStaff).get(`/customers/${corp.shCustomer}`);
    expect(shView.body.follows[0].tags.map((t: { tagId: string }) => t.tagId)).toEqual([contractTag]);
  });

  it('协议价客户 may be applied by the 华东 manager only; refusals change nothing', async () => {
    const { corp, as, p } = await scene();
    const contractTag = corp.contract.tags[0]!.tagId;
    const gradeTag = corp.grade.tags[0]!.tagId;
    const before = await corpState(db().db, corp.corpId);
    const url = `/customers/${corp.shCustomer}/follows/${p.shStaff}/tags`;
    expect((await as(p.shStaff).post(url, { add: [contractTag] })).status).toBe(403);
    expect((await as(p.bjManager).post(url, { add: [contractTag] })).status).toBe(403);
    expect((await as(p.shIntern).post(url, { add: [gradeTag] })).status).toBe(403);
    // Out of reach: the 北京 salesperson cannot tag a 上海 relation, even with an open group.
    expect((await as(p.bjStaff).post(url, { add: [gradeTag] })).status).toBe(403);
    expect(await corpState(db().db, corp.corpId)).toEqual(before);
    expect((await as(p.shStaff).post(url, { add: [gradeTag] })).status).toBe(200);
    expect((await as(p.hdManager).post(url, { add: [contractTag] })).status).toBe(200);
  });

  it('abilities on each group say what the caller may do', async () => {
    const { corp, as, p } = await scene();
    const abilitiesOf = async (userid: string, groupId: string) =>
      (await as(userid).get('/tag-groups')).body.groups.find((g: { groupId: string }) => g.groupId === groupId)?.abilities;
    expect(await abilitiesOf(p.shStaff, corp.contract.group.groupId)).toMatchObject({ 'tag.apply': false, 'tagGroup.update': false });
    expect(await abilitiesOf(p.hdManager, corp.contract.group.groupId)).toMatchObject({ 'tag.apply': true, 'tagGroup.update': true });
    expect(await abilitiesOf(p.shStaff, corp.grade.group.groupId)).toMatchObject({ 'tag.apply': true, 'tagGroup.delete': false });
  });

  it('each follow relation of a customer says what the caller may do on it', async () => {
    const { corp, as, p } = await scene();
    const abilities = async (userid: string, customer: string) => (await as(userid).get(`/customers/${customer}`)).body.follows[0].abilities;
    expect(await abilities(p.shStaff, corp.shCustomer)).toEqual({ 'tag.apply': true, 'tag.remove': true, 'customer.update': true, 'customer.transfer': false });
    expect(await abilities(p.shIntern, corp.internCustomer)).toEqual({
      'tag.apply': false,
      'tag.remove': false,
      'customer.update': false,
      'customer.transfer': false,
    });
    expect(await abilities(p.hdManager, corp.shCustomer)).toEqual({
      'tag.apply': true,
      'tag.remove': true,
      'customer.update': true,
      'customer.transfer': false,
    });
    // Hand-over (转接) is the admins' by default: the console offers 转接给… only where it is true.
    expect(await abilities(p.admin, corp.shCustomer)).toEqual({ 'tag.apply': true, 'tag.remove': true, 'customer.update': true, 'customer.transfer': true });
  });

  it('a scope naming unknown departments, regions or members is refused with every problem listed', async () => {
    const { corp } = await scene();
    const res = await apiClient(app, corp.secret).patch(`/tag-groups/${corp.grade.group.groupId}`, {
      scope: { view: { departments: [99], regions: ['火星'] }, apply: { userids: ['nobody'] } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['scope.apply.userids', 'scope.view.departments', 'scope.view.regions']);
  });
});
