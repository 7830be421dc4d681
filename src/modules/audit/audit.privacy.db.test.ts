import { expect, it } from 'vitest';
import { systemContext, withTx } from '../../context.js';
import { apiClient, buildApiScene, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildCustomer, unique } from '../../test/factories.js';
import { addDepartments, addEmployees } from '../org/commands/add-org.js';
import { exportCsv, readAllAudit } from './test-support.js';

describeDb('audit: personal-tag privacy', (db) => {
  const app = useTestApp(db);

  /**
   * Manager A (who may read the audit log) keeps personal tags and uses them next to an enterprise
   * tag. Manager B works in the same region, so B's data scope reaches A's relations.
   */
  async function scene() {
    const s = await buildApiScene(db().db);
    const [ownerA, managerB] = [unique('ma'), unique('mb')];
    await withTx(systemContext(db().db, s.corpId), async (tx) => {
      await addDepartments(tx, [{ deptId: 2, name: '华东', parentId: 0, region: '华东' }]);
      await addEmployees(
        tx,
        [ownerA, managerB].map((userid) => ({ userid, name: userid, departmentIds: [2], role: 'manager' })),
      );
    });
    const customer = await buildCustomer(s.ctx, [ownerA!, managerB!]);
    const asA = apiClient(app, s.key, ownerA);
    const t0 = s.tags[0]!.tagId;
    const kept = (await asA.post('/personal-tags', { name: '私房客户' })).body.tagId as string;
    expect((await asA.patch(`/personal-tags/${kept}`, { name: '超级私房' })).status).toBe(200);
    expect((await asA.post(`/customers/${customer}/follows/${ownerA}/tags`, { add: [kept, t0] })).status).toBe(200);
    const gone = (await asA.post('/personal-tags', { name: '将删除' })).body.tagId as string;
    expect((await asA.post(`/customers/${customer}/follows/${ownerA}/tags`, { add: [gone] })).status).toBe(200);
    expect((await asA.delete(`/personal-tags/${gone}`)).status).toBe(200);
    return { s, ownerA: ownerA!, managerB: managerB!, customer, t0, kept, gone, secrets: [kept, gone, '私房客户', '超级私房', '将删除'] };
  }

  it('another manager, an admin and the app see the events but never the names or ids', async () => {
    const { s, ownerA, managerB, customer, t0, kept, gone, secrets } = await scene();
    for (const reader of [managerB, s.admin, undefined]) {
      const all = await readAllAudit(app, s.key, reader);
      const text = JSON.stringify(all);
      for (const secret of secrets) expect(text, `${reader} sees ${secret}`).not.toContain(secret);
      const personal = all.filter((e) => e.type.startsWith('personal_tag.'));
      // Corp-wide readers see that A kept personal tags; a manager's scoped log leaves out other people's personal tags altogether.
      expect(personal.map((e) => e.type)).toEqual(
        reader === managerB ? [] : ['personal_tag.deleted', 'personal_tag.created', 'personal_tag.renamed', 'personal_tag.created'],
      );
      for (const e of personal)
        expect(e).toMatchObject({
          actor: `user:${ownerA}`,
          subject: { type: 'personal_tag', id: null },
          before: null,
          after: null,
          payload: null,
          redacted: true,
        });
      // The mixed change shows its enterprise tag; the personal-only one shows nothing.
      const changes = all.filter((e) => e.type === 'follow.tags_changed');
      expect(changes.map((e) => e.payload)).toEqual([
        { userid: ownerA, externalUserid: customer, added: [], removed: [] },
        { userid: ownerA, externalUserid: customer, added: [t0], removed: [] },
      ]);
      expect(changes.every((e) => e.redacted)).toBe(true);
      // Filtering by someone else's personal tag, live or deleted, matches nothing.
      for (const id of [kept, gone]) expect(await readAllAudit(app, s.key, reader, `tag=${id}`)).toEqual([]);
      const csv = await exportCsv(app, s.key, reader);
      for (const secret of secrets) expect(csv.text).not.toContain(secret);
    }
  });

  it('the owner sees their own personal tags, even after deleting one', async () => {
    const { s, ownerA, customer, t0, kept, gone } = await scene();
    const mine = await readAllAudit(app, s.key, ownerA, `customer=${customer}`);
    expect(mine.filter((e) => e.type === 'follow.tags_changed').map((e) => ({ added: e.payload.added, redacted: e.redacted }))).toEqual([
      { added: [gone], redacted: false },
      { added: [kept, t0], redacted: false },
    ]);
    const byTag = await readAllAudit(app, s.key, ownerA, `tag=${kept}`);
    expect(byTag.map((e) => e.type)).toEqual(['follow.tags_changed', 'personal_tag.renamed', 'personal_tag.created']);
    expect(byTag[1]).toMatchObject({ subject: { id: kept }, before: { name: '私房客户' }, after: { name: '超级私房' }, redacted: false });
    const deleted = (await readAllAudit(app, s.key, ownerA, 'type=personal_tag.deleted'))[0];
    expect(deleted).toMatchObject({ subject: { id: gone }, before: { name: '将删除', owner: ownerA }, redacted: false });
    expect((await exportCsv(app, s.key, ownerA)).text).toContain('超级私房');
  });
});
