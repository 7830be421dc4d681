import type { z } from 'zod';
import type { Me } from '../../../contracts/auth.js';
import type { MeView } from './auth.queries.js';
import { mePermissions } from './auth.queries.js';

/** The caller as the console sees them, with what their role lets them do across the corp. */
export function presentMe(me: MeView): z.infer<typeof Me> {
  return {
    corpId: me.corpId,
    userid: me.userid,
    name: me.name,
    role: me.role,
    roleName: me.roleName,
    departments: me.departments,
    abilities: me.policy.abilities(mePermissions),
  };
}
