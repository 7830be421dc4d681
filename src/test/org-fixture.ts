import { systemContext, withTx } from '../context.js';
import type { Db } from '../db/client.js';
import { addCustomers } from '../modules/customers/commands/add-customers.js';
import { addDepartments, addEmployees } from '../modules/org/commands/add-org.js';
import { buildCorp, buildTagGroup, unique } from './factories.js';

/**
 * A corp with two regions, one employee per role and place, and one customer per salesperson:
 *
 *   1 总部 ─┬─ 2 华东大区 (华东) ── 3 上海销售部        5 华北大区 (华北) ── 6 北京销售部
 *          └─ 5 …
 *
 * admin (dept 1), hdManager (2), shStaff and shIntern (3), bjManager (5), bjStaff (6).
 * `shCustomer` is followed by shStaff, `bjCustomer` by bjStaff, `internCustomer` by shIntern. Groups: 客户等级 (open to all) and
 * 协议价客户 (seen by 华东 only, applied by hdManager only).
 */
export async function buildRegionalCorp(db: Db) {
  const corp = await buildCorp(db);
  const sys = systemContext(db, corp.corpId);
  const id = (name: string) => unique(name);
  const people = { admin: id('admin'), hdManager: id('hdm'), shStaff: id('shs'), shIntern: id('shi'), bjManager: id('bjm'), bjStaff: id('bjs') };
  await withTx(sys, async (tx) => {
    await addDepartments(tx, [
      { deptId: 1, name: '总部', parentId: 0 },
      { deptId: 2, name: '华东大区', parentId: 1, region: '华东' },
      { deptId: 3, name: '上海销售部', parentId: 2 },
      { deptId: 5, name: '华北大区', parentId: 1, region: '华北' },
      { deptId: 6, name: '北京销售部', parentId: 5 },
    ]);
    await addEmployees(tx, [
      { userid: people.admin, name: '管理员', departmentIds: [1], role: 'admin' },
      { userid: people.hdManager, name: '华东经理', departmentIds: [2], role: 'manager' },
      { userid: people.shStaff, name: '上海销售', departmentIds: [3], role: 'staff' },
      { userid: people.shIntern, name: '上海实习', departmentIds: [3], role: 'readonly' },
      { userid: people.bjManager, name: '华北经理', departmentIds: [5], role: 'manager' },
      { userid: people.bjStaff, name: '北京销售', departmentIds: [6], role: 'staff' },
    ]);
  });
  const [shCustomer, bjCustomer, internCustomer] = await withTx(sys, (tx) =>
    addCustomers(tx, [
      { name: '上海客户', province: '上海', city: '上海', follows: [{ userid: people.shStaff }] },
      { name: '北京客户', province: '北京', city: '北京', follows: [{ userid: people.bjStaff }] },
      { name: '实习生客户', province: '上海', city: '上海', follows: [{ userid: people.shIntern }] },
    ]),
  );
  const grade = await buildTagGroup(corp.ctx, ['A级', 'B级'], '客户等级');
  const contract = await buildTagGroup(corp.ctx, ['协议价客户'], '协议价客户');
  return { ...corp, people, shCustomer: shCustomer!, bjCustomer: bjCustomer!, internCustomer: internCustomer!, grade, contract };
}
