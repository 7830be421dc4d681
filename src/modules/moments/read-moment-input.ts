import type { Expr } from '../../../contracts/audience-expression/ast.js';
import {
  type CreateMomentBody,
  type MomentAttachment,
  type MomentSchedule,
  type MomentSenders,
  type MomentVariant,
  momentLimits,
} from '../../../contracts/moments.js';
import type { Ctx } from '../../context.js';
import { AppError, type ErrorCode } from '../../errors.js';
import { loadOrgSnapshot, type Policy, policyFor } from '../../policies/index.js';
import { subtree } from '../../policies/org-snapshot.js';
import { printExpression } from '../audiences/expression/print.js';
import { type AudienceCatalog, catalogLabels, loadCatalog, references, usesPersonalTags } from '../audiences/service/catalog.js';
import { readExpression } from '../audiences/service/read-expression.js';

/** The fields of a post as a request (or a stored draft) gives them; `draft` is not part of the post. */
export type MomentInput = Omit<CreateMomentBody, 'draft'>;

/** An audience expression as checked: the AST and its text as the actor reads it. */
export type CheckedExpression = { expression: Expr; text: string };

/** A post checked as its author's: what to store, and what its audience is computed from. */
export type CheckedMoment = {
  text: string;
  attachments: MomentAttachment[];
  variants: MomentVariant[];
  /** The senders as given (departments kept as departments: they are expanded again when scheduled). */
  senders: MomentSenders;
  /** Active employees who may send it: `senders` expanded, or everyone the author reaches when empty. */
  senderUserids: string[];
  include: CheckedExpression | null;
  exclude: CheckedExpression | null;
  /** Tags the include names (per-tag analytics) and their groups plus `group:` refs (suppression lists). */
  includeTagIds: string[];
  targetGroupIds: string[];
  schedule: MomentSchedule;
  catalog: AudienceCatalog;
  policy: Policy;
};

/** How far in the past a schedule time may lie (clock skew between a client and the server). */
export const scheduleSkewMs = 60_000;

const fail = (code: ErrorCode, path: string, message: string, extra: Record<string, unknown> = {}) =>
  new AppError(code, { message: `${path}: ${message}`, details: [{ path, message, ...extra }] });

/** Characters as a person counts them (code points): an emoji or 𠀀 is one, as WeCom counts. */
const charCount = (s: string) => [...s].length;

function checkContent(
  content: { text?: string; attachments?: MomentAttachment[] },
  at: string,
  mayBeEmpty = false,
): { text: string; attachments: MomentAttachment[] } {
  const text = content.text ?? '';
  const attachments = content.attachments ?? [];
  if (charCount(text) > momentLimits.textMax)
    throw fail('validation_failed', `${at}text`, `at most ${momentLimits.textMax} characters (this has ${charCount(text)})`, { limit: momentLimits.textMax });
  const kinds = new Set(attachments.map((a) => a.msgtype));
  if (kinds.size > 1) throw fail('validation_failed', `${at}attachments`, 'one kind only: up to 9 images, or 1 video, or 1 link');
  const kind = attachments[0]?.msgtype;
  const max = kind === 'image' ? momentLimits.imagesMax : 1;
  if (attachments.length > max) throw fail('validation_failed', `${at}attachments`, `at most ${max} ${kind === 'image' ? 'images' : kind}`, { limit: max });
  if (!mayBeEmpty && text.trim() === '' && attachments.length === 0)
    throw fail('validation_failed', `${at}text`, 'give a text or attachments: a post cannot be empty');
  return { text, attachments };
}

/** The hours (0–23, Asia/Shanghai) a variant's slot covers; `toHour` exclusive, wrapping midnight. */
export function slotHours(v: Pick<MomentVariant, 'fromHour' | 'toHour'>): Set<number> {
  const out = new Set<number>();
  for (let h = v.fromHour; h !== v.toHour % 24 || out.size === 0; h = (h + 1) % 24) {
    out.add(h);
    if (out.size === 24) break;
  }
  return out;
}

function checkVariants(variants: MomentVariant[]): MomentVariant[] {
  const taken = new Map<number, number>();
  return variants.map((v, i) => {
    const at = `body.variants.${i}.`;
    if (v.fromHour === v.toHour) throw fail('validation_failed', `${at}toHour`, 'the slot is empty: fromHour and toHour are the same hour');
    for (const h of slotHours(v)) {
      const other = taken.get(h);
      if (other !== undefined) throw fail('validation_failed', `${at}fromHour`, `the slot overlaps variant ${other} at ${h}:00`);
      taken.set(h, i);
    }
    return { ...v, ...checkContent(v, at) };
  });
}

/** Expands senders to active employees within the author's reach; empty means everyone they reach. */
async function expandSenders(ctx: Ctx, policy: Policy, senders: MomentSenders): Promise<string[]> {
  const org = await loadOrgSnapshot(ctx);
  const active = (userid: string) => org.employees.get(userid)?.status === 'active';
  if (senders.userids.length === 0 && senders.departmentIds.length === 0) {
    const everyone = [...org.employees.keys()].filter((u) => active(u) && policy.reaches(u)).sort();
    if (everyone.length === 0) throw fail('validation_failed', 'body.senders', 'no active employee within your data scope can send it');
    return everyone;
  }
  const out = new Set<string>();
  for (const [i, userid] of senders.userids.entries()) {
    const path = `body.senders.userids.${i}`;
    const employee = org.employees.get(userid);
    if (!employee) throw fail('employee_not_found', path, `no employee "${userid}"`);
    if (employee.status !== 'active')
      throw new AppError('employee_inactive', { message: `${path}: "${userid}" has left`, details: [{ path, message: 'has left' }] });
    if (!policy.reaches(userid)) throw fail('forbidden', path, `"${userid}" is outside your data scope`);
    out.add(userid);
  }
  for (const [i, deptId] of senders.departmentIds.entries()) {
    if (!org.departments.has(deptId)) throw fail('department_not_found', `body.senders.departmentIds.${i}`, `no department ${deptId}`);
  }
  if (senders.departmentIds.length > 0) {
    const covered = subtree(org, senders.departmentIds);
    const members = [...org.employees].filter(([, e]) => e.status === 'active' && e.departmentIds.some((d) => covered.has(d))).map(([u]) => u);
    const outside = members.filter((u) => !policy.reaches(u));
    if (outside.length > 0)
      throw fail('forbidden', 'body.senders.departmentIds', `${outside.length} employee(s) of these departments are outside your data scope`, {
        userids: outside.slice(0, 20),
      });
    for (const u of members) out.add(u);
  }
  if (out.size === 0) throw fail('validation_failed', 'body.senders', 'no active employee in these departments');
  return [...out].sort();
}

function checkSchedule(schedule: MomentSchedule, now: Date): MomentSchedule {
  const floor = now.getTime() - scheduleSkewMs;
  if (schedule.mode === 'at' && new Date(schedule.at).getTime() < floor) throw fail('validation_failed', 'body.schedule.at', 'is in the past');
  if (schedule.mode === 'best_hour' && schedule.from !== undefined && new Date(schedule.from).getTime() < floor)
    throw fail('validation_failed', 'body.schedule.from', 'is in the past');
  return schedule;
}

function checkExpression(input: { expression?: unknown; text?: string } | undefined, catalog: AudienceCatalog, path: string): CheckedExpression | null {
  if (!input) return null;
  const expression = readExpression(input, catalog, path);
  if (usesPersonalTags(expression, catalog))
    throw fail('validation_failed', path, 'a post goes out through many senders, so its audience may not use personal tags');
  return { expression, text: printExpression(expression, catalogLabels(catalog)) };
}

/**
 * Checks a post as the actor's (who needs `moment.publish`): content limits (code points, the
 * attachment mix, never empty, per variant too), non-overlapping variant slots, senders expanded to
 * active employees within the actor's reach, a schedule not in the past (60 s of skew), and the
 * include / exclude expressions (no personal tags). Throws a coded error naming the field.
 * `unfinished` (a preview, a draft) lets the content still be empty: an operator sizes the audience
 * before writing; scheduling reads the post again without it.
 */
export async function readMomentInput(ctx: Ctx, input: MomentInput, now = new Date(), opts: { unfinished?: boolean } = {}): Promise<CheckedMoment> {
  const policy = await policyFor(ctx);
  policy.authorize('moment.publish');
  const content = checkContent(input, 'body.', opts.unfinished);
  const variants = checkVariants(input.variants ?? []);
  const senders = { userids: input.senders?.userids ?? [], departmentIds: input.senders?.departmentIds ?? [] };
  const senderUserids = await expandSenders(ctx, policy, senders);
  const schedule = checkSchedule(input.schedule ?? { mode: 'now' }, now);
  const catalog = await loadCatalog(ctx, now);
  const include = checkExpression(input.audience?.include, catalog, 'body.audience.include');
  const exclude = checkExpression(input.audience?.exclude, catalog, 'body.audience.exclude');
  const refs = include ? references(include.expression) : [];
  const includeTagIds = [...new Set(refs.filter((r) => r.kind === 'tag').map((r) => r.id))];
  const targetGroupIds = [
    ...new Set([
      ...includeTagIds.map((id) => catalog.tags.get(id)?.groupId).filter((g): g is string => !!g),
      ...refs.filter((r) => r.kind === 'group').map((r) => r.id),
    ]),
  ];
  return { ...content, variants, senders, senderUserids, include, exclude, includeTagIds, targetGroupIds, schedule, catalog, policy };
}
