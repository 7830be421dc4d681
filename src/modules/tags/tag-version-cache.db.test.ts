import { gunzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { withTx } from '../../context.js';
import { describeDb } from '../../test/db.js';
import { buildCorp, buildTagGroup } from '../../test/factories.js';
import { updateTag } from './commands/update-tag.js';
import { cachedByTagVersion } from './tag-version-cache.js';
import { listTagGroups } from './tags.queries.js';

describeDb('tag listing cache', (db) => {
  it('re-renders after any tag-library change and not otherwise', async () => {
    const { ctx } = await buildCorp(db().db);
    const { tags } = await buildTagGroup(ctx, ['旧名']);
    let renders = 0;
    const names = () =>
      cachedByTagVersion(ctx, 'test', async () => {
        renders += 1;
        return JSON.stringify((await listTagGroups(ctx)).groups.flatMap((g) => g.tags.map((t) => t.name)));
      });
    expect((await names()).body.toString()).toBe('["旧名"]');
    expect(gunzipSync((await names()).gzipped).toString()).toBe('["旧名"]');
    expect(renders).toBe(1);
    await withTx(ctx, (tx) => updateTag(tx, { tagId: tags[0]!.tagId, name: '新名' }));
    expect((await names()).body.toString()).toBe('["新名"]');
    expect(renders).toBe(2);
  });

  it('keeps corps apart', async () => {
    const a = await buildCorp(db().db);
    const b = await buildCorp(db().db);
    await buildTagGroup(a.ctx, ['甲']);
    const render = (ctx: typeof a.ctx) => cachedByTagVersion(ctx, 'same-key', async () => JSON.stringify((await listTagGroups(ctx)).groups.length));
    expect((await render(a.ctx)).body.toString()).toBe('1');
    expect((await render(b.ctx)).body.toString()).toBe('0');
  });
});
