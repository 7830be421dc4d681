import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { TxCtx } from '../../context.js';
import { contactWays, departments, employees, tagGroups, tags } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { nameLength } from '../../names/name-policy.js';
import { forbidden, loadOrgSnapshot, type Policy } from '../../policies/index.js';
import { subtree } from '../../policies/org-snapshot.js';
import { type ContactWayFields, contactWayMaxMembers, contactWayMaxSeconds, contactWayTextMax } from './contact-way-input.js';

const invalid = (path: string, message: string) =>
  new AppError('validation_failed', { message: `invalid parameter ${path}: ${message}`, details: [{ path, message }] });

/**
 * Checks a way as it would be stored, refusing it with the error WeCom would give (40058 naming the
 * field, 40003 for an unknown userid, 60123 for an unknown department) before anything is written.
 * Members must be inside the actor's reach (a ranged app configures ways only for its range), and
 * default tags must exist and be applicable by the actor, since the way applies them in their name.
 */
export async function checkContactWay(ctx: TxCtx, policy: Policy, way: ContactWayFields, configId?: string): Promise<void> {
  checkShape(way);
  const userids = [...new Set(way.userids)];
  if (userids.length > 0) {
    const known = await ctx.tx
      .select({ userid: employees.userid, status: employees.status })
      .from(employees)
      .where(and(eq(employees.corpId, ctx.corpId), inArray(employees.userid, userids)));
    const missing = userids.filter((u) => !known.some((k) => k.userid === u && k.status === 'active'));
    if (missing.length > 0)
      throw new AppError('employee_not_found', {
        message: `invalid userid: ${missing.join(', ')}`,
        details: missing.map((userid) => ({ path: 'user', message: 'unknown or inactive userid', userid })),
      });
    for (const userid of userids)
      if (!policy.reaches(userid))
        throw forbidden(`no privilege to configure a contact way for ${userid}`, [{ path: 'user', message: 'outside your reach', userid }]);
  }
  if (way.party.length > 0) await checkParty(ctx, policy, way, userids);
  await checkDefaultTags(ctx, policy, way.defaultTagIds);
  if (way.state !== '') {
    const conds = [eq(contactWays.corpId, ctx.corpId), eq(contactWays.state, way.state), isNull(contactWays.deletedAt)];
    if (configId) conds.push(ne(contactWays.configId, configId));
    const [taken] = await ctx.tx
      .select({ configId: contactWays.configId })
      .from(contactWays)
      .where(and(...conds))
      .limit(1);
    // One live way per state: the state is how an added customer is traced back to its way.
    if (taken)
      throw new AppError('conflict', {
        message: `state "${way.state}" is already used by contact way ${taken.configId}`,
        details: [{ path: 'state', message: 'already used by another live contact way', configId: taken.configId }],
      });
  }
}

function checkShape(way: ContactWayFields): void {
  if (way.type !== 1 && way.type !== 2) throw invalid('type', 'must be 1 (single) or 2 (multi)');
  if (way.scene !== 1 && way.scene !== 2) throw invalid('scene', 'must be 1 (mini-program) or 2 (QR code)');
  if (nameLength(way.state) > contactWayTextMax) throw invalid('state', `longer than ${contactWayTextMax} characters`);
  if (nameLength(way.remark) > contactWayTextMax) throw invalid('remark', `longer than ${contactWayTextMax} characters`);
  if (way.type === 1 && (way.userids.length !== 1 || way.party.length > 0))
    throw invalid('user', 'a single-person way (type 1) takes exactly one userid and no party');
  if (way.type === 2 && way.userids.length + way.party.length === 0) throw invalid('user', 'a multi-person way (type 2) needs at least one userid or party');
  if (way.isTemp && way.type !== 1) throw invalid('is_temp', 'a temporary way must be single-person (type 1)');
  if (!way.isTemp && (way.expiresIn !== null || way.chatExpiresIn !== null)) {
    // WeCom ignores these outside temporary mode; Tagloom refuses them so a caller learns they do nothing.
    throw invalid(way.expiresIn !== null ? 'expires_in' : 'chat_expires_in', 'only a temporary way (is_temp) expires');
  }
  if (way.expiresIn !== null && (way.expiresIn < 1 || way.expiresIn > contactWayMaxSeconds))
    throw invalid('expires_in', `between 1 and ${contactWayMaxSeconds} seconds`);
  if (way.chatExpiresIn !== null && (way.chatExpiresIn < 1 || way.chatExpiresIn > contactWayMaxSeconds))
    throw invalid('chat_expires_in', `between 1 and ${contactWayMaxSeconds} seconds`);
  if (way.startsAt && way.endsAt && way.startsAt >= way.endsAt) throw invalid('endsAt', 'the campaign window must end after it starts');
}

async function checkParty(ctx: TxCtx, policy: Policy, way: ContactWayFields, userids: string[]): Promise<void> {
  const party = [...new Set(way.party)];
  const known = await ctx.tx
    .select({ deptId: departments.deptId })
    .from(departments)
    .where(and(eq(departments.corpId, ctx.corpId), inArray(departments.deptId, party)));
  const missing = party.filter((d) => !known.some((k) => k.deptId === d));
  if (missing.length > 0)
    throw new AppError('department_not_found', {
      message: `invalid party: ${missing.join(', ')}`,
      details: missing.map((deptId) => ({ path: 'party', message: 'unknown department', deptId })),
    });
  const snapshot = await loadOrgSnapshot(ctx);
  const covered = subtree(snapshot, party);
  const members = new Set(userids);
  for (const [userid, e] of snapshot.employees) if (e.status === 'active' && e.departmentIds.some((d) => covered.has(d))) members.add(userid);
  if (members.size > contactWayMaxMembers)
    throw invalid('party', `a contact way holds at most ${contactWayMaxMembers} members, departments expanded (${members.size} given)`);
  for (const userid of members)
    if (!policy.reaches(userid))
      throw forbidden(`no privilege to configure a contact way for department members outside your reach (${userid})`, [
        { path: 'party', message: 'a member is outside your reach', userid },
      ]);
}

async function checkDefaultTags(ctx: TxCtx, policy: Policy, tagIds: string[]): Promise<void> {
  if (tagIds.length === 0) return;
  const rows = await ctx.tx
    .select({ tagId: tags.tagId, kind: tagGroups.kind, scope: tagGroups.scope, strategyId: tagGroups.strategyId })
    .from(tags)
    .innerJoin(tagGroups, and(eq(tagGroups.corpId, tags.corpId), eq(tagGroups.groupId, tags.groupId)))
    .where(and(eq(tags.corpId, ctx.corpId), inArray(tags.tagId, tagIds), isNull(tags.deletedAt), isNull(tagGroups.deletedAt)));
  const missing = tagIds.filter((id) => !rows.some((r) => r.tagId === id));
  if (missing.length > 0)
    throw new AppError('tag_not_found', {
      message: `Unknown tag id: ${missing.join(', ')}.`,
      details: missing.map((id) => ({ path: 'defaultTagIds', message: 'unknown tag id', id })),
    });
  for (const row of rows) {
    if (row.kind === 'smart') throw invalid('defaultTagIds', `tag ${row.tagId} belongs to a smart group, whose tags only its rules set`);
    if (!policy.can('tag.apply', { type: 'tagGroup', group: { kind: row.kind, scope: row.scope, strategyId: row.strategyId } })) {
      throw forbidden(`You may not apply tag ${row.tagId}, so a contact way of yours may not either.`, [
        { path: 'defaultTagIds', message: 'not applicable by you', id: row.tagId },
      ]);
    }
  }
  policy.authorize('tag.apply');
}
