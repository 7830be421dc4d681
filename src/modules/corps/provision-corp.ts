import { type Source, systemContext, withTx } from '../../context.js';
import type { Db } from '../../db/client.js';
import { randomToken } from '../../ids.js';
import { checkName } from '../../names/check-name.js';
import { namedThings } from '../../names/named-things.js';
import { addDepartments, addEmployees } from '../org/commands/add-org.js';
import { insertCorp } from '../org/commands/create-corp.js';
import { setEmployeePassword } from '../org/commands/set-employee-password.js';

/** What a platform operator gives to open a corp: its corpid and name, and optionally its first admin. */
export type ProvisionCorpInput = { corpId: string; name: string; admin?: { userid: string; name: string; password?: string } };

/** The new corp with what is shown once: its customer-contact secret and the admin's password. */
export type ProvisionedCorp = { corpId: string; name: string; secret: string; admin: { userid: string; name: string; password: string } | null };

/**
 * Opens a new corp in one transaction: the corp and its customer-contact app, a root department
 * named after the corp (WeCom's department 1) and, when asked, a first admin with a console
 * password (generated when none is given). Everything is recorded as events of the corp, acting as
 * the system actor `platform`; a failure anywhere leaves nothing behind.
 */
export async function provisionCorp(db: Db, input: ProvisionCorpInput, source: Source): Promise<ProvisionedCorp> {
  return withTx(systemContext(db, input.corpId, 'platform', source), async (ctx) => {
    const created = await insertCorp(ctx, { corpId: input.corpId, name: input.name });
    await addDepartments(ctx, [{ deptId: 1, name: created.name, parentId: 0 }]);
    if (!input.admin) return { corpId: created.corpId, name: created.name, secret: created.secret, admin: null };
    const password = input.admin.password ?? randomToken(20);
    const adminName = checkName(input.admin.name, { ...namedThings.employee, path: 'admin.name' });
    await addEmployees(ctx, [{ userid: input.admin.userid, name: adminName, departmentIds: [1], role: 'admin' }]);
    await setEmployeePassword(ctx, { userid: input.admin.userid, password });
    return { corpId: created.corpId, name: created.name, secret: created.secret, admin: { userid: input.admin.userid, name: adminName, password } };
  });
}
