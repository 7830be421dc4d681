import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Expr } from '../../contracts/audience-expression/ast.js';
import { CreateMomentBody, type MomentAttachment, momentLimits } from '../../contracts/moments.js';
import { type Ctx, reader } from '../context.js';
import { tagGroups, tags } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { loadOrgSnapshot, policyFor } from '../policies/index.js';
import { subtree } from '../policies/org-snapshot.js';
import type { MomentTaskInvalid } from './moment-queries.js';
import { idList, optionalText, parseWecom } from './parse.js';

const mediaId = z.string().min(1).max(256);

/**
 * add_moment_task's body as WeCom takes it (wecom-api.md §5.1). Attachments are read loosely here
 * (any `msgtype`) so that a wrong kind or mix is WeCom's 41065 / 41064, not a generic 40058.
 */
export const addMomentTaskBody = z.object({
  text: z.object({ content: optionalText }).nullish(),
  attachments: z
    .array(
      z.object({
        msgtype: z.string(),
        image: z.object({ media_id: mediaId }).nullish(),
        video: z.object({ media_id: mediaId }).nullish(),
        link: z.object({ title: optionalText, url: z.string().min(1), media_id: mediaId }).nullish(),
      }),
    )
    .max(100)
    .nullish()
    .transform((list) => list ?? []),
  visible_range: z
    .object({
      sender_list: z
        .object({
          user_list: idList.pipe(z.array(z.string().max(64)).max(100_000)),
          department_list: z
            .array(
              z
                .int()
                .min(1)
                .max(2 ** 31 - 1),
            )
            .max(1000)
            .nullish()
            .transform((ids) => ids ?? []),
        })
        .nullish(),
      external_contact_list: z.object({ tag_list: idList.pipe(z.array(z.string().max(64)).max(1000)) }).nullish(),
    })
    .nullish(),
});
export type AddMomentTaskBody = z.output<typeof addMomentTaskBody>;

const kinds = ['image', 'video', 'link'] as const;

/**
 * The post's words and media, checked WeCom's way: text over 2,000 characters is 40058 "invalid
 * text size"; a kind other than image / video / link, or two kinds, is 41065; more than 9 images
 * or more than one video or link is 41064; neither text nor attachments is 41089.
 */
export function readMomentContent(body: AddMomentTaskBody): { text?: string; attachments: MomentAttachment[] } {
  const text = body.text?.content;
  // Characters as a person counts them (code points), as the native API counts them.
  if (text !== undefined && [...text].length > momentLimits.textMax) {
    throw new AppError('validation_failed', {
      message: 'invalid text size',
      details: [{ path: 'text.content', message: `longer than ${momentLimits.textMax} characters` }],
    });
  }
  const found = new Set(body.attachments.map((a) => a.msgtype));
  const unknown = [...found].find((k) => !(kinds as readonly string[]).includes(k));
  if (unknown !== undefined || found.size > 1) {
    throw new AppError('moment_attachment_type', {
      message: 'invalid attachments msgtype',
      details: [{ path: 'attachments', message: unknown !== undefined ? `unknown msgtype ${unknown}` : 'images, a video or a link: one kind only' }],
    });
  }
  const kind = [...found][0];
  const max = kind === 'image' ? momentLimits.imagesMax : 1;
  if (body.attachments.length > max) {
    throw new AppError('moment_too_many_attachments', {
      message: 'invalid attachments size',
      details: [{ path: 'attachments', message: `at most ${max} ${kind}` }],
    });
  }
  if ((text === undefined || text.trim() === '') && body.attachments.length === 0) {
    throw new AppError('moment_content_empty', { message: 'text and attachments are both empty', details: [{ path: 'text.content', message: 'empty' }] });
  }
  const attachments = body.attachments.map((a, i): MomentAttachment => {
    const missing = (what: string) =>
      new AppError('validation_failed', {
        message: `invalid parameter attachments.${i}.${what}: required`,
        details: [{ path: `attachments.${i}.${what}`, message: 'required' }],
      });
    if (a.msgtype === 'image') {
      if (!a.image) throw missing('image');
      return { msgtype: 'image', image: { mediaId: a.image.media_id } };
    }
    if (a.msgtype === 'video') {
      if (!a.video) throw missing('video');
      return { msgtype: 'video', video: { mediaId: a.video.media_id } };
    }
    if (!a.link) throw missing('link');
    return { msgtype: 'link', link: { url: a.link.url, mediaId: a.link.media_id, ...(a.link.title ? { title: a.link.title } : {}) } };
  });
  return { ...(text ? { text } : {}), attachments };
}

/**
 * Splits the sender list into what the post can use and what WeCom reports as invalid: unknown or
 * departed members and members outside the caller's range; unknown departments and departments
 * with a member outside the range. Listing senders of which none is usable is 40003, since
 * dropping them all would send the post through every member instead.
 */
export async function readMomentSenders(
  ctx: Ctx,
  body: AddMomentTaskBody,
): Promise<{ senders: CreateMomentBody['senders']; invalidUserids: string[]; invalidDepartmentIds: number[] }> {
  const userids = [...new Set(body.visible_range?.sender_list?.user_list ?? [])];
  const departmentIds = [...new Set(body.visible_range?.sender_list?.department_list ?? [])];
  if (userids.length === 0 && departmentIds.length === 0) return { senders: { userids: [], departmentIds: [] }, invalidUserids: [], invalidDepartmentIds: [] };
  const policy = await policyFor(ctx);
  const snapshot = await loadOrgSnapshot(ctx);
  const usable = (userid: string) => snapshot.employees.get(userid)?.status === 'active' && policy.reaches(userid);
  const validUsers = userids.filter(usable);
  const validDepartments = departmentIds.filter((id) => {
    if (!snapshot.departments.has(id)) return false;
    const covered = subtree(snapshot, [id]);
    for (const [userid, e] of snapshot.employees) {
      if (e.status === 'active' && e.departmentIds.some((d) => covered.has(d)) && !policy.reaches(userid)) return false;
    }
    return true;
  });
  if (validUsers.length === 0 && validDepartments.length === 0) {
    throw new AppError('employee_not_found', {
      message: 'invalid sender_list: no member or department in range',
      details: [{ path: 'visible_range.sender_list', message: 'none usable' }],
    });
  }
  return {
    senders: { userids: validUsers, departmentIds: validDepartments },
    invalidUserids: userids.filter((u) => !validUsers.includes(u)),
    invalidDepartmentIds: departmentIds.filter((d) => !validDepartments.includes(d)),
  };
}

/**
 * The include audience of `tag_list`: customers carrying any of the tags (WeCom reads the list as
 * "any of"); none listed is a broadcast. Only live corp tags count; rule-group tags and unknown
 * ids are reported invalid. A list of which no tag is usable is 40068, since dropping them all
 * would broadcast the post instead.
 */
export async function readMomentTags(ctx: Ctx, body: AddMomentTaskBody): Promise<{ include?: Expr; invalidTagIds: string[] }> {
  const tagIds = [...new Set(body.visible_range?.external_contact_list?.tag_list ?? [])];
  if (tagIds.length === 0) return { invalidTagIds: [] };
  const rows = await reader(ctx)
    .select({ tagId: tags.tagId })
    .from(tags)
    .innerJoin(tagGroups, and(eq(tagGroups.corpId, tags.corpId), eq(tagGroups.groupId, tags.groupId)))
    .where(and(eq(tags.corpId, ctx.corpId), inArray(tags.tagId, tagIds), isNull(tags.deletedAt), isNull(tagGroups.deletedAt), eq(tagGroups.kind, 'corp')));
  const live = new Set(rows.map((r) => r.tagId));
  const valid = tagIds.filter((id) => live.has(id));
  if (valid.length === 0) {
    throw new AppError('tag_not_found', {
      message: 'invalid tag_list: no corp tag',
      details: [{ path: 'visible_range.external_contact_list.tag_list', message: 'none usable' }],
    });
  }
  const leaves: Expr[] = valid.map((tag) => ({ tag }) as Expr);
  return { include: leaves.length === 1 ? leaves[0] : ({ any: leaves } as Expr), invalidTagIds: tagIds.filter((id) => !live.has(id)) };
}

/** The native post add_moment_task asks for, sent at once, and what it could not use. */
export async function readMomentTask(ctx: Ctx, body: AddMomentTaskBody): Promise<{ input: CreateMomentBody; invalid: MomentTaskInvalid }> {
  const content = readMomentContent(body);
  const { senders, invalidUserids, invalidDepartmentIds } = await readMomentSenders(ctx, body);
  const { include, invalidTagIds } = await readMomentTags(ctx, body);
  // Through the native contract too, so what it checks (a link's http(s) URL, say) is 40058 here.
  const input = parseWecom(CreateMomentBody, {
    ...content,
    variants: [],
    senders,
    audience: include ? { include: { expression: include } } : {},
    schedule: { mode: 'now' },
    draft: false,
  });
  return { input, invalid: { userids: invalidUserids, departmentIds: invalidDepartmentIds, tagIds: invalidTagIds } };
}
