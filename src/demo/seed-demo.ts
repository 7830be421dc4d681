import { demoConsoleUsers, demoCorpId } from '../../contracts/demo.js';
import { type Ctx, systemContext, withTx } from '../context.js';
import type { Db } from '../db/client.js';
import { type NewCustomerEvent, recordCustomerEvents } from '../modules/customer-events/record-customer-events.js';
import { addCustomers, type NewCustomer } from '../modules/customers/commands/add-customers.js';
import { bulkMark, type MarkEntry } from '../modules/customers/commands/bulk-mark.js';
import { addDepartments, addEmployees, type NewEmployee } from '../modules/org/commands/add-org.js';
import { createCorp } from '../modules/org/commands/create-corp.js';
import { setEmployeePassword } from '../modules/org/commands/set-employee-password.js';
import { addTags } from '../modules/tags/commands/add-tags.js';
import { createPersonalTag } from '../modules/tags/commands/personal-tags.js';
import { addWays, companyParts, contactStates, departmentTree, givenChars, personalTagNames, regions, surnames, tagLibrary } from './demo-data.js';
import { seededRandom } from './random.js';

export { demoConsoleUsers, demoCorpId } from '../../contracts/demo.js';

type Rng = ReturnType<typeof seededRandom>;

function personName(rng: Rng): string {
  return rng.pick(surnames) + rng.pick(givenChars) + (rng.next() < 0.6 ? rng.pick(givenChars) : '');
}

function demoEmployees(rng: Rng): (NewEmployee & { region: string | null })[] {
  const out: (NewEmployee & { region: string | null })[] = [];
  for (const dept of departmentTree) {
    for (let i = 0; i < dept.staff; i += 1) {
      const userid = `d${dept.deptId}u${i + 1}`;
      let role = 'staff';
      if (dept.name.endsWith('大区')) role = 'manager';
      if (dept.deptId === 12 && i === 0) role = 'admin';
      if (dept.deptId === 13) role = i === 0 ? 'manager' : 'readonly';
      out.push({ userid, name: personName(rng), departmentIds: [dept.deptId], role, region: dept.region });
    }
  }
  return out;
}

function demoCustomer(rng: Rng, sales: { userid: string; region: string | null }[], now: number): NewCustomer {
  const owner = rng.pick(sales);
  const regionName = owner.region && rng.next() < 0.8 ? owner.region : rng.pick(Object.keys(regions));
  const place = rng.pick(regions[regionName]!);
  const city = rng.pick(place.cities);
  const addTime = new Date(now - rng.int(365 * 86400) * 1000);
  const addWay = rng.weighted(addWays);
  const followers = [owner.userid];
  if (rng.next() < 0.15) {
    const second = rng.pick(sales).userid;
    if (second !== owner.userid) followers.push(second);
  }
  return {
    name: personName(rng),
    gender: rng.weighted([
      [1, 48],
      [2, 48],
      [0, 4],
    ]),
    corpName: rng.next() < 0.7 ? `${city}${rng.pick(companyParts.prefixes)}${rng.pick(companyParts.trades)}有限公司` : '',
    province: place.province,
    city,
    createdAt: addTime,
    attributes: { region: regionName },
    follows: followers.map((userid, i) => ({
      userid,
      addTime: new Date(addTime.getTime() + i * 86400_000 * rng.int(30)),
      addWay: i === 0 ? addWay : 1001,
      state: i === 0 && addWay === 1 && rng.next() < 0.6 ? rng.pick(contactStates) : '',
    })),
  };
}

/**
 * Creates the demo corp `ww-demo` with synthetic but realistic data: a department tree with
 * regions, ~30 employees in four roles (one console login per role), `customerCount` customers
 * with follow relations, the enterprise tag library with marks spread over it, and a few personal
 * tags. Deterministic.
 */
export async function seedDemoCorp(db: Db, opts: { secret?: string; customerCount?: number; seed?: number } = {}) {
  const rng = seededRandom(opts.seed ?? 20261126);
  const corp = await createCorp(db, { corpId: demoCorpId, name: '演示科技有限公司', secret: opts.secret, source: 'demo' });
  const sys: Ctx = systemContext(db, demoCorpId, 'demo', 'demo');
  const staff = demoEmployees(rng);
  await withTx(sys, async (tx) => {
    await addDepartments(
      tx,
      departmentTree.map(({ staff: _s, ...d }) => d),
    );
    await addEmployees(
      tx,
      staff.map(({ region: _r, ...e }) => e),
    );
  });
  await withTx(sys, async (tx) => {
    for (const user of demoConsoleUsers) await setEmployeePassword(tx, { userid: user.username, password: user.password });
  });

  const tagWeights: { tagId: string; weight: number }[][] = [];
  for (const group of tagLibrary) {
    const added = await withTx(sys, (tx) =>
      addTags(tx, { groupName: group.name, order: group.order, tags: group.tags.map(([name], i) => ({ name, order: group.tags.length - i })) }),
    );
    tagWeights.push(added.tags.map((t, i) => ({ tagId: t.tagId, weight: group.tags[i]![1] })));
  }

  const sales = staff.filter((e) => e.role === 'staff' && e.region);
  const now = Date.now();
  const customers = Array.from({ length: opts.customerCount ?? 5000 }, () => demoCustomer(rng, sales, now));
  const ids: string[] = [];
  for (let i = 0; i < customers.length; i += 1000) {
    ids.push(...(await withTx(sys, (tx) => addCustomers(tx, customers.slice(i, i + 1000)))));
  }

  const entries: MarkEntry[] = [];
  customers.forEach((c, i) => {
    for (const f of c.follows) {
      const count = rng.weighted([
        [0, 15],
        [1, 30],
        [2, 30],
        [3, 17],
        [4, 8],
      ]);
      for (let k = 0; k < count; k += 1) {
        const group = rng.pick(tagWeights);
        const tagId = rng.weighted(group.map((t) => [t.tagId, t.weight] as const));
        entries.push({ userid: f.userid, externalUserid: ids[i]!, tagId });
      }
    }
  });
  await withTx(sys, (tx) => bulkMark(tx, entries));

  // A few employees keep personal tags; each applies them as themselves.
  for (const employee of sales.slice(0, 8)) {
    const me: Ctx = { corpId: demoCorpId, actor: { kind: 'employee', userid: employee.userid, role: employee.role ?? 'staff' }, source: 'demo', db };
    const names = [...new Set([rng.pick(personalTagNames), rng.pick(personalTagNames)])];
    const own: { tagId: string }[] = [];
    for (const name of names) own.push(await withTx(me, (tx) => createPersonalTag(tx, { name })));
    const mine = customers.flatMap((c, i) => (c.follows.some((f) => f.userid === employee.userid) ? [ids[i]!] : []));
    const personalEntries = mine
      .filter(() => rng.next() < 0.2)
      .map((externalUserid) => ({ userid: employee.userid, externalUserid, tagId: rng.pick(own).tagId }));
    await withTx(me, (tx) => bulkMark(tx, personalEntries));
  }
  await seedBehaviour(sys, rng, ids, now);
  return { corpId: corp.corpId, secret: corp.secret, customers: ids.length, employees: staff.length, marks: entries.length };
}

/**
 * Behaviour facts (product links opened, live streams attended, in the last 60 days) and one smart
 * group whose tags follow them, so audiences and smart groups have something to show.
 */
async function seedBehaviour(sys: Ctx, rng: Rng, ids: string[], now: number): Promise<void> {
  const facts: NewCustomerEvent[] = [];
  for (const externalUserid of ids) {
    const clicks = rng.weighted([
      [0, 60],
      [1, 20],
      [2, 12],
      [4, 8],
    ]);
    for (let k = 0; k < clicks; k += 1)
      facts.push({
        externalUserid,
        type: 'link.clicked',
        target: rng.pick(['楼盘A', '楼盘B', '样板间']),
        occurredAt: new Date(now - Math.floor(rng.next() * 60 * 86_400_000)),
      });
    if (rng.next() < 0.15)
      facts.push({ externalUserid, type: 'live.attended', target: '3月直播', occurredAt: new Date(now - Math.floor(rng.next() * 30 * 86_400_000)) });
  }
  for (let i = 0; i < facts.length; i += 1000) await withTx(sys, (tx) => recordCustomerEvents(tx, facts.slice(i, i + 1000)));
  await withTx(sys, (tx) =>
    addTags(tx, {
      groupName: '自动分层',
      smart: true,
      tags: [
        { name: '近7天活跃', rule: { event: { type: 'link.clicked', count: { op: 'gte', n: 2 }, window: { within: { amount: 7, unit: 'd' } } } } },
        { name: '直播观众', rule: { event: { type: 'live.attended' } } },
      ],
    }),
  );
}
