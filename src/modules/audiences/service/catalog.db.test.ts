import { expect, it } from 'vitest';
import { withTx } from '../../../context.js';
import { describeDb } from '../../../test/db.js';
import { employeeCtx } from '../../../test/factories.js';
import { buildRegionalCorp } from '../../../test/org-fixture.js';
import { addTags } from '../../tags/commands/add-tags.js';
import { deleteTags } from '../../tags/commands/delete-tags.js';
import { updateTag } from '../../tags/commands/update-tag.js';
import { updateTagGroup } from '../../tags/commands/update-tag-group.js';
import { catalogResolver, loadCatalog } from './catalog.js';

// The tag library under every catalog is cached per `tag_version`: each change to a tag or a
// group must show in the very next catalog, for every actor, as if nothing were cached.
describeDb('audience catalog: the cached tag library', (db) => {
  it('shows every tag change in the next catalog, and each actor only what they may see', async () => {
    const f = await buildRegionalCorp(db().db);
    const staff = employeeCtx(db().db, f.corpId, f.people.shStaff);
    const [a] = f.grade.tags.map((t) => t.tagId) as [string];
    const names = async () => [...(await loadCatalog(f.ctx)).tags.values()].map((t) => t.name).sort();

    expect(await names()).toEqual(['A级', 'B级', '协议价客户']);
    const added = await withTx(f.ctx, (tx) => addTags(tx, { groupName: '客户等级', tags: [{ name: 'C级' }] }));
    const c = added.tags[0]!.tagId;
    expect(await names()).toEqual(['A级', 'B级', 'C级', '协议价客户']);
    expect((await loadCatalog(f.ctx)).eval.tagGroups.get(c)).toBe(f.grade.group.groupId);

    await withTx(f.ctx, (tx) => updateTag(tx, { tagId: a, name: '钻石' }));
    const renamed = await loadCatalog(f.ctx);
    expect(catalogResolver(renamed).tag!({ name: '钻石', text: '钻石' })).toEqual([a]);
    expect(catalogResolver(renamed).tag!({ name: 'A级', text: 'A级' })).toEqual([]);

    await withTx(f.ctx, (tx) => deleteTags(tx, { tagIds: [c] }));
    const afterDelete = await loadCatalog(f.ctx);
    expect(afterDelete.tags.has(c)).toBe(false);
    expect(afterDelete.eval.tagGroups.has(c)).toBe(false);

    // Visibility is the actor's, applied to the shared rows on every load.
    expect((await loadCatalog(staff)).groups.has(f.grade.group.groupId)).toBe(true);
    await withTx(f.ctx, (tx) => updateTagGroup(tx, { groupId: f.grade.group.groupId, scope: { view: { userids: [f.people.admin] } } }));
    expect((await loadCatalog(staff)).groups.has(f.grade.group.groupId)).toBe(false);
    expect((await loadCatalog(staff)).eval.tagGroups.get(a)).toBe(f.grade.group.groupId); // still a live tag of its group
    expect((await loadCatalog(f.ctx)).groups.has(f.grade.group.groupId)).toBe(true);
  });

  it('reads a transaction its own uncommitted tags and never keeps them after a rollback', async () => {
    const f = await buildRegionalCorp(db().db);
    await loadCatalog(f.ctx); // the committed library, cached
    const rolledBack = new Error('roll back');
    await expect(
      withTx(f.ctx, async (tx) => {
        const added = await addTags(tx, { groupName: '客户等级', tags: [{ name: '草稿' }] });
        expect((await loadCatalog(tx)).tags.has(added.tags[0]!.tagId)).toBe(true);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect([...(await loadCatalog(f.ctx)).tags.values()].map((t) => t.name)).not.toContain('草稿');
    // The next committed change takes the version the rolled-back one had: its own rows, not the draft's.
    await withTx(f.ctx, (tx) => addTags(tx, { groupName: '客户等级', tags: [{ name: '正式' }] }));
    const names = [...(await loadCatalog(f.ctx)).tags.values()].map((t) => t.name);
    expect(names).toContain('正式');
    expect(names).not.toContain('草稿');
  });
});
