import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { withTx } from '../context.js';
import { type RestoreInput, restoreTags } from '../modules/tags/commands/restore-tags.js';
import { describeDb } from './db.js';
import { buildCorp, buildCustomer, buildEmployees } from './factories.js';
import { TagModel } from './tag-model.js';

// Look-alikes among them (ＶＩＰ组 and vip组 + U+3000, VIP and ｖｉｐ + U+200B) are one name to the server.
const groupNames = ['等级', '意向', 'ＶＩＰ组', 'vip组\u3000'];
const tagNames = ['甲', '乙', 'VIP', 'ｖｉｐ\u200b'];

const op = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), group: fc.nat(3), names: fc.array(fc.nat(3), { minLength: 1, maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rename' as const), tag: fc.nat(20), name: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delTags' as const), tags: fc.array(fc.nat(20), { minLength: 1, maxLength: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delGroup' as const), group: fc.nat(10) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('restoreTag' as const), tag: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restoreGroup' as const), group: fc.nat(10) }) },
  // Mostly on existing relations and with disjoint add/remove lists, so most marks succeed; the
  // rest exercise 84061 (no relation) and 40058 (same tag added and removed).
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('mark' as const),
      follow: fc.nat(5),
      stranger: fc.nat(4).map((n) => n === 0),
      user: fc.nat(2),
      customer: fc.nat(3),
      add: fc.array(fc.nat(20), { maxLength: 3 }),
      remove: fc.array(fc.nat(20), { maxLength: 2 }),
      overlap: fc.nat(9),
    }),
  },
);

describeDb('tag library against an in-memory model (property)', (db) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({ db: db().db });
  });
  afterAll(() => app.close());

  it('externalcontact/get equals the model after any sequence of add/edit/delete/restore/mark/unmark', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 40 }), async (ops) => {
        const { corpId, secret, ctx } = await buildCorp(db().db);
        const users = await buildEmployees(ctx, 3);
        const customers = [
          await buildCustomer(ctx, [users[0]!, users[1]!]),
          await buildCustomer(ctx, [users[0]!]),
          await buildCustomer(ctx, [users[1]!, users[2]!]),
          await buildCustomer(ctx, [users[2]!]),
        ];
        const pairs = ['0|0', '1|0', '0|1', '1|2', '2|2', '2|3'].map((p) => [users[Number(p[0])]!, customers[Number(p[2])]!] as const);
        const follows = new Set(pairs.map(([u, c]) => `${u}|${c}`));
        const model = new TagModel(follows);
        const tagIds: string[] = [];
        const groupIds: string[] = [];
        const tok = (await app.inject({ url: `/cgi-bin/gettoken?corpid=${corpId}&corpsecret=${secret}` })).json().access_token as string;
        const call = async (path: string, body: unknown) =>
          (await app.inject({ method: 'POST', url: `/cgi-bin/externalcontact/${path}?access_token=${tok}`, payload: body as object })).json();
        const tagAt = (i: number): string => tagIds[i % Math.max(tagIds.length, 1)] ?? 'etMissing';
        const groupAt = (i: number): string => groupIds[i % Math.max(groupIds.length, 1)] ?? 'etMissing';

        for (const o of ops) {
          if (o.kind === 'add') {
            const names = o.names.map((n) => tagNames[n]!);
            const reply = await call('add_corp_tag', { group_name: groupNames[o.group], tag: names.map((name) => ({ name })) });
            const expected = model.add(groupNames[o.group]!, names, () => {
              if (reply.errcode !== 0) return undefined;
              const group = reply.tag_group as { group_id: string; tag: { id: string; name: string }[] };
              if (!groupIds.includes(group.group_id)) groupIds.push(group.group_id);
              for (const t of group.tag) if (!tagIds.includes(t.id)) tagIds.push(t.id);
              return { groupId: group.group_id, tagIdByName: new Map(group.tag.map((t) => [t.name, t.id])) };
            });
            expect(reply.errcode, `add ${names}`).toBe(expected);
          } else if (o.kind === 'rename') {
            const id = tagAt(o.tag);
            expect((await call('edit_corp_tag', { id, name: tagNames[o.name] })).errcode).toBe(model.rename(id, tagNames[o.name]!));
          } else if (o.kind === 'delTags') {
            const ids = [...new Set(o.tags.map(tagAt))];
            expect((await call('del_corp_tag', { tag_id: ids })).errcode).toBe(model.delete(ids, []));
          } else if (o.kind === 'delGroup') {
            const id = groupAt(o.group);
            expect((await call('del_corp_tag', { group_id: [id] })).errcode).toBe(model.delete([], [id]));
          } else if (o.kind === 'restoreTag' || o.kind === 'restoreGroup') {
            const input: RestoreInput = o.kind === 'restoreTag' ? { tagId: tagAt(o.tag) } : { groupId: groupAt(o.group) };
            const expected = 'tagId' in input ? model.restoreTag(input.tagId) : model.restoreGroup(input.groupId);
            const got = await withTx(ctx, (tx) => restoreTags(tx, input)).then(
              () => '',
              (e: { code: string }) => e.code,
            );
            expect(got).toBe(expected);
          } else {
            const add = [...new Set(o.add.map(tagAt))];
            const remove = [...new Set(o.remove.map(tagAt))].filter((id) => o.overlap === 0 || !add.includes(id));
            if (add.length + remove.length === 0) continue;
            const [userid, externalUserid] = o.stranger ? [users[o.user]!, customers[o.customer]!] : pairs[o.follow]!;
            const reply = await call('mark_tag', { userid, external_userid: externalUserid, add_tag: add, remove_tag: remove });
            expect(reply.errcode).toBe(model.mark(userid, externalUserid, add, remove));
          }
        }

        for (const c of customers) {
          const got = (await app.inject({ url: `/cgi-bin/externalcontact/get?access_token=${tok}&external_userid=${c}` })).json();
          expect(got.errcode).toBe(0);
          const actual: Record<string, string[]> = {};
          for (const f of got.follow_user as { userid: string; tags: { group_name: string; tag_name: string; tag_id: string; type: number }[] }[]) {
            actual[f.userid] = f.tags.map((t) => `${t.group_name}/${t.tag_name}/${t.tag_id}`).sort();
          }
          expect(actual).toEqual(model.expectedTags(c, users));
        }
      }),
      { numRuns: 30 },
    );
  });
});
