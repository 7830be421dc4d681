import type { MomentTaskInvalid, WecomMomentRow } from './moment-queries.js';
import { unixSeconds } from './presenters.js';

/**
 * The creator get_moment_list shows: the employee who wrote the post, or "" when an app (through
 * this API or the native one) created it, as WeCom shows no member for an API-created task.
 */
export function momentCreator(author: string): string {
  return author.startsWith('user:') ? author.slice('user:'.length) : '';
}

/**
 * One entry of get_moment_list's `moment_list`. Every Tagloom post is a corp post (`create_type`
 * 0); `visible_type` is 0 (partial) when an include or exclude audience restricted it, 1 when it
 * went to all the senders' customers. Media ids are given back as they were sent; fields of kinds
 * the post has no attachment of are left out, as WeCom does.
 */
export function presentWecomMoment(row: WecomMomentRow) {
  const out: Record<string, unknown> = {
    moment_id: row.momentId,
    creator: momentCreator(row.author),
    create_time: unixSeconds(row.createdAt),
    create_type: 0,
    visible_type: row.includeExpr || row.excludeExpr ? 0 : 1,
    text: { content: row.text },
  };
  const images = row.attachments.flatMap((a) => (a.msgtype === 'image' ? [{ media_id: a.image.mediaId }] : []));
  if (images.length > 0) out.image = images;
  for (const a of row.attachments) {
    if (a.msgtype === 'video') out.video = { media_id: a.video.mediaId, thumb_media_id: '' };
    if (a.msgtype === 'link') out.link = { title: a.link.title ?? '', url: a.link.url };
  }
  return out;
}

/** get_moment_task_result's `result` for a finished add_moment_task: the post and the ids it could not use. */
export function presentMomentTaskResult(row: WecomMomentRow, invalid: MomentTaskInvalid) {
  return {
    errcode: 0,
    errmsg: 'ok',
    moment_id: row.momentId,
    invalid_sender_list: { user_list: invalid.userids, department_list: invalid.departmentIds },
    invalid_external_contact_list: { tag_list: invalid.tagIds },
  };
}
