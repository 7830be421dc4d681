import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { archivedMarks, events, marks, operations, tags } from '../../db/schema/index.js';
import { describeDb } from '../../test/db.js';
import { appCtx, buildCustomer, buildEmployees, buildTagGroup } from '../../test/factories.js';
import { buildWecomCorp, callWecom, useWecomApp } from '../test-support.js';

describeDb('del_corp_tag of a group while its tags are being marked', (db) => {
  const app = useWecomApp(db);
  const post = (token: string, path: string, body: unknown) => callWecom(app(), `externalcontact/${path}`, { token, body });

  // On PostgreSQL the calls below really interleave (a pool of connections); on PGlite they queue.
  it('leaves no live mark on a deleted tag, and archives exactly what it reports removed', async () => {
    const corp = await buildWecomCorp(app(), db().db);
    const ctx = appCtx(db().db, corp.corpId);
    const [userid] = (await buildEmployees(ctx, 1)) as [string];
    const customers: string[] = [];
    for (let i = 0; i < 20; i += 1) customers.push(await buildCustomer(ctx, [userid]));

    for (let round = 0; round < 8; round += 1) {
      const { group, tags: groupTags } = await buildTagGroup(ctx, ['甲', '乙', '丙']);
      const tagIds = groupTags.map((t) => t.tagId);
      // Half the customers already carry the tags, so the deletion has marks to archive while new ones arrive.
      for (const customer of customers.slice(0, 10)) await post(corp.token, 'mark_tag', { userid, external_userid: customer, add_tag: tagIds });
      const marking = customers.map((customer) => post(corp.token, 'mark_tag', { userid, external_userid: customer, add_tag: tagIds }));
      const deletion = post(corp.token, 'del_corp_tag', { group_id: [group.groupId] });
      const replies = await Promise.all([...marking, deletion]);
      // Each mark_tag either landed before the deletion (ok) or found the tags gone (40068).
      for (const reply of replies) expect([0, 40068], JSON.stringify(reply.body)).toContain(reply.body.errcode);
      expect((await deletion).body.errcode).toBe(0);

      const live = await db()
        .db.select({ n: sql<number>`count(*)::int` })
        .from(marks)
        .innerJoin(tags, and(eq(tags.corpId, marks.corpId), eq(tags.tagId, marks.tagId)))
        .where(and(eq(marks.corpId, corp.corpId), isNotNull(tags.deletedAt)));
      expect(live[0]?.n, `round ${round}: live marks on deleted tags`).toBe(0);

      const [deleted] = await db().db.select({ deletionId: tags.deletionId }).from(tags).where(eq(tags.tagId, tagIds[0]!));
      const deletionId = deleted!.deletionId!;
      const archived = await db().db.select({ n: sql<number>`count(*)::int` }).from(archivedMarks).where(eq(archivedMarks.deletionId, deletionId));
      const reported = await db()
        .db.select({ n: sql<number>`coalesce(sum((${events.payload}->>'marksRemoved')::int), 0)::int` })
        .from(events)
        .where(and(eq(events.corpId, corp.corpId), eq(events.type, 'tag.deleted'), eq(events.operationId, deletionId)));
      const [operation] = await db().db.select({ result: operations.result }).from(operations).where(eq(operations.operationId, deletionId));
      expect(reported[0]?.n, `round ${round}: audit payload vs archive`).toBe(archived[0]?.n);
      expect((operation?.result as { removed: number } | undefined)?.removed).toBe(archived[0]?.n);
      // Every successful mark_tag of this round put its marks on before the deletion, so all of them were archived.
      expect(archived[0]?.n).toBe(new Set([...customers.slice(0, 10), ...customers.filter((_, i) => replies[i]!.body.errcode === 0)]).size * tagIds.length);
    }
  });
});
