import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { defaultMomentSettings } from '../../../../contracts/moments.js';
import { withTx } from '../../../context.js';
import { corps, customers, messageReceipts, momentDeliveries, momentSuppressions } from '../../../db/schema/index.js';
import { describeDb } from '../../../test/db.js';
import { buildCorp, buildCustomer, buildEmployees, buildTagGroup } from '../../../test/factories.js';
import { loadCatalog } from '../../audiences/service/catalog.js';
import { AudienceEngine } from '../../audiences/service/engine.js';
import { addFollows } from '../../customers/commands/add-follows.js';
import { markTags } from '../../customers/commands/mark-tags.js';
import { momentAudience } from './moment-audience.js';

const day = 86_400_000;

describeDb('Moments audience: include − exclude − suppressed − over cap − no sender', (db) => {
  const engines: AudienceEngine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.stop()));
  });

  async function scene() {
    const corp = await buildCorp(db().db);
    const [u1, u2, u3] = (await buildEmployees(corp.ctx, 3)) as [string, string, string];
    const skin = await buildTagGroup(corp.ctx, ['敏感肌', '油性'], '肤质');
    const complaint = await buildTagGroup(corp.ctx, ['投诉客户'], '投诉');
    const [sensitive, oily] = skin.tags.map((t) => t.tagId) as [string, string];
    const complained = complaint.tags[0]!.tagId;
    const c = {
      plain: await buildCustomer(corp.ctx, [u1]),
      twoFollowers: await buildCustomer(corp.ctx, [u1, u2]),
      complained: await buildCustomer(corp.ctx, [u2]),
      suppressed: await buildCustomer(corp.ctx, [u1]),
      capped: await buildCustomer(corp.ctx, [u1]),
      unreachable: await buildCustomer(corp.ctx, [u3]),
      oily: await buildCustomer(corp.ctx, [u1]),
    };
    for (const [key, id] of Object.entries(c)) {
      const userid = key === 'complained' ? u2 : key === 'unreachable' ? u3 : u1;
      await markTags(corp.ctx, { externalUserid: id, userid, add: [key === 'oily' ? oily : sensitive] });
    }
    await markTags(corp.ctx, { externalUserid: c.complained, userid: u2, add: [complained] });
    const seqOf = async (id: string) =>
      (
        await db()
          .db.select({ seq: customers.seq })
          .from(customers)
          .where(and(eq(customers.corpId, corp.corpId), eq(customers.externalUserid, id)))
      )[0]!.seq;
    const bump = () =>
      db()
        .db.update(corps)
        .set({ momentVersion: sql`${corps.momentVersion} + 1` })
        .where(eq(corps.corpId, corp.corpId));
    const now = new Date();
    await db()
      .db.insert(momentSuppressions)
      .values({ corpId: corp.corpId, groupId: skin.group.groupId, externalUserid: c.suppressed, momentIds: ['m1', 'm2', 'm3'] });
    const capSeq = await seqOf(c.capped);
    await db()
      .db.insert(momentDeliveries)
      .values(
        [1, 2, 3].map((n) => ({
          corpId: corp.corpId,
          momentId: `old${n}`,
          externalUserid: c.capped,
          seq: capSeq,
          senderUserid: u1,
          plannedAt: new Date(now.getTime() - n * day),
          status: 'sent' as const,
        })),
      );
    await bump();
    // u2 chatted with the customer both follow, more recently than u1.
    await db()
      .db.insert(messageReceipts)
      .values([
        { corpId: corp.corpId, idempotencyKey: 'k1', userid: u1, externalUserid: c.twoFollowers, sentAt: new Date(now.getTime() - 2 * day) },
        { corpId: corp.corpId, idempotencyKey: 'k2', userid: u2, externalUserid: c.twoFollowers, sentAt: new Date(now.getTime() - day) },
      ]);
    const engine = new AudienceEngine(db().db);
    engines.push(engine);
    const audience = async (over: { senders?: string[]; at?: Date; exclude?: boolean; fresh?: boolean } = {}) => {
      const catalog = await loadCatalog(corp.ctx);
      return momentAudience(engine, corp.ctx, catalog, {
        include: { tag: sensitive },
        exclude: over.exclude === false ? null : { tag: complained },
        targetGroupIds: [skin.group.groupId],
        senders: over.senders ?? [u1, u2],
        at: over.at ?? now,
        settings: defaultMomentSettings,
        freshSenders: over.fresh ?? true,
      });
    };
    return { corp, u1, u2, u3, c, audience, bump, seqOf, skin, now };
  }

  it('removes each reduction in turn and gives every remaining customer one sender', async () => {
    const { u1, u2, c, audience, seqOf } = await scene();
    const a = await audience();
    expect(a.counts).toEqual({ matched: 6, excluded: 1, suppressed: 1, overCap: 1, noSender: 1, remaining: 2 });
    expect(a.remaining.toArray()).toEqual([await seqOf(c.plain), await seqOf(c.twoFollowers)].sort((x, y) => x - y));
    // The customer both follow goes to u2, who chatted with them last.
    expect(a.senderOf(await seqOf(c.twoFollowers))).toBe(u2);
    expect(a.senderOf(await seqOf(c.plain))).toBe(u1);
    expect([...a.bySender].map(([s, b]) => [s, b.size]).sort()).toEqual([
      [u1, 1],
      [u2, 1],
    ]);
  });

  it('counts the cap in the 7 days up to the post, so a later post reaches the capped customer again', async () => {
    const { audience, now } = await scene();
    // Five days on, two of the three earlier deliveries have left the window.
    const later = await audience({ at: new Date(now.getTime() + 5 * day) });
    expect(later.counts.overCap).toBe(0);
    expect(later.counts.remaining).toBe(3);
  });

  it('counts deliveries planned after the post as well: an evening post goes out the next morning, and a fourth that evening is over the cap', async () => {
    const { audience, now } = await scene();
    // Seen from four days before them, the three deliveries all lie ahead, within 7 days.
    const earlier = await audience({ at: new Date(now.getTime() - 4 * day) });
    expect(earlier.counts.overCap).toBe(1);
  });

  it('sees a suppression lifted or a delivery cancelled by another writer as soon as the version moves', async () => {
    const { corp, c, audience, bump } = await scene();
    expect((await audience()).counts.suppressed).toBe(1);
    await db()
      .db.update(momentSuppressions)
      .set({ liftedAt: new Date() })
      .where(and(eq(momentSuppressions.corpId, corp.corpId), eq(momentSuppressions.externalUserid, c.suppressed)));
    // Without the version bump the cached ledger still holds (that is what the bump is for).
    expect((await audience()).counts.suppressed).toBe(1);
    await bump();
    expect((await audience()).counts.suppressed).toBe(0);
    await db()
      .db.update(momentDeliveries)
      .set({ status: 'cancelled' })
      .where(and(eq(momentDeliveries.corpId, corp.corpId), inArray(momentDeliveries.momentId, ['old1'])));
    await bump();
    expect((await audience()).counts).toMatchObject({ overCap: 0, remaining: 4 });
  });

  it('drops customers whom no chosen sender follows, and hands a shared customer to the only chosen follower', async () => {
    const { u1, c, audience, seqOf } = await scene();
    const a = await audience({ senders: [u1], exclude: false });
    // twoFollowers goes to u1 although u2 chatted last: u2 is not sending this post.
    expect(a.senderOf(await seqOf(c.twoFollowers))).toBe(u1);
    expect(a.counts).toEqual({ matched: 6, excluded: 0, suppressed: 1, overCap: 1, noSender: 2, remaining: 2 });
  });

  it('gives a customer who just gained a second follower one sender, though the cached ranking does not know yet', async () => {
    const { corp, u1, u2, c, audience, seqOf } = await scene();
    await audience({ fresh: false });
    await withTx(corp.ctx, (tx) => addFollows(tx, [{ externalUserid: c.plain, userid: u2 }]));
    const a = await audience({ fresh: false });
    const total = [...a.bySender.values()].reduce((n, b) => n + b.size, 0);
    expect(total).toBe(a.counts.remaining);
    expect([u1, u2]).toContain(a.senderOf(await seqOf(c.plain)));
  });
});
