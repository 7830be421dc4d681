import { AppError, type ErrorDetail } from '../../errors.js';
import { type OrgSnapshot, subtree } from '../../policies/org-snapshot.js';

/** One node of a rule group's range: a member (type 1) or a department with its subtree (type 2). */
export type RangeNode = { type: 1; userid: string } | { type: 2; deptId: number };

/** WeCom's limits (wecom-api.md §3.2): nodes per create/edit call, and nodes in one rule group's range. */
export const rangeLimits = { perCall: 100, perGroup: 3000 } as const;

/** How many admins one rule group may have. */
export const maxAdmins = 20;

/** How deep rule groups nest: a top-level group is depth 1. */
export const maxDepth = 5;

/** The stored form of a node's value (`strategy_ranges.node` is text). */
export function nodeValue(node: RangeNode): string {
  return node.type === 1 ? node.userid : String(node.deptId);
}

/** A key to compare nodes by, unique across both types. */
export function nodeKey(node: RangeNode): string {
  return `${node.type}:${nodeValue(node)}`;
}

/** A stored `strategy_ranges` row back as a node. */
export function nodeOfRow(row: { type: number; node: string }): RangeNode {
  return row.type === 1 ? { type: 1, userid: row.node } : { type: 2, deptId: Number(row.node) };
}

/** The nodes with duplicates dropped, first occurrence kept. */
export function dedupeNodes(nodes: readonly RangeNode[]): RangeNode[] {
  const seen = new Map<string, RangeNode>();
  for (const node of nodes) if (!seen.has(nodeKey(node))) seen.set(nodeKey(node), node);
  return [...seen.values()];
}

/** Throws the per-call limit as 40058, naming the field, so a caller can split its request. */
export function checkPerCall(nodes: readonly RangeNode[], path: string): void {
  if (nodes.length > rangeLimits.perCall) {
    throw new AppError('limit_exceeded', {
      message: `At most ${rangeLimits.perCall} range nodes per call; ${path} has ${nodes.length}.`,
      details: [{ path, message: 'too many nodes' }],
    });
  }
}

/**
 * Throws unless every member is an active employee (40003) and every department exists (60123).
 * Members are reported first: WeCom checks userids before departments in its other range APIs.
 */
export function checkNodesExist(snapshot: OrgSnapshot, nodes: readonly RangeNode[], path: string): void {
  const members = nodes.filter((n): n is Extract<RangeNode, { type: 1 }> => n.type === 1 && snapshot.employees.get(n.userid)?.status !== 'active');
  if (members.length > 0) {
    throw new AppError('employee_not_found', {
      message: `Unknown member in ${path}: ${members.map((m) => m.userid).join(', ')}.`,
      details: members.map((m) => ({ path, message: 'unknown userid', userid: m.userid })),
    });
  }
  const departments = nodes.filter((n): n is Extract<RangeNode, { type: 2 }> => n.type === 2 && !snapshot.departments.has(n.deptId));
  if (departments.length > 0) {
    throw new AppError('department_not_found', {
      message: `Unknown department in ${path}: ${departments.map((d) => d.deptId).join(', ')}.`,
      details: departments.map((d) => ({ path, message: 'unknown partyid', partyid: d.deptId })),
    });
  }
}

/** Throws 40003 unless the admins are 1–20 active employees. */
export function checkAdmins(snapshot: OrgSnapshot, admins: readonly string[]): void {
  if (admins.length === 0) throw new AppError('validation_failed', { message: 'admin_list is required.', details: [{ path: 'admin_list', message: 'empty' }] });
  if (admins.length > maxAdmins)
    throw new AppError('limit_exceeded', {
      message: `A rule group has at most ${maxAdmins} admins.`,
      details: [{ path: 'admin_list', message: 'too many admins' }],
    });
  checkNodesExist(
    snapshot,
    admins.map((userid) => ({ type: 1, userid })),
    'admin_list',
  );
}

/**
 * The nodes of `child` a rule group with range `parent` does not cover. A department covers its
 * whole subtree, and a member is covered by name or by sitting in a covered department.
 */
export function uncoveredNodes(snapshot: OrgSnapshot, parent: readonly RangeNode[], child: readonly RangeNode[]): RangeNode[] {
  const members = new Set(parent.flatMap((n) => (n.type === 1 ? [n.userid] : [])));
  const departments = subtree(
    snapshot,
    parent.flatMap((n) => (n.type === 2 ? [n.deptId] : [])),
  );
  return child.filter((node) => {
    if (node.type === 2) return !departments.has(node.deptId);
    if (members.has(node.userid)) return false;
    return !(snapshot.employees.get(node.userid)?.departmentIds ?? []).some((d) => departments.has(d));
  });
}

/** Details naming nodes, for errors about a range. */
export function nodeDetails(nodes: readonly RangeNode[], path: string, message: string): ErrorDetail[] {
  return nodes.map((n) => (n.type === 1 ? { path, message, userid: n.userid } : { path, message, partyid: n.deptId }));
}
