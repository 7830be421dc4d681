import type { MomentAttachment, MomentSchedule } from '../../../../contracts/moments.js';
import type { MomentDto, MomentPreviewBody, NewMoment } from '../../api/moments.js';
import type { Expr } from '../smart-groups/builder-model.js';

/** Which kind of attachment a post carries: WeCom allows 9 images, or 1 video, or 1 link. */
export type AttachmentKind = 'none' | 'image' | 'video' | 'link';
/** A media reference as the form edits it. */
export type MediaFields = { mediaId: string; url?: string };
/** A time-of-day variant as the form edits it. */
export type VariantFields = { label: string; fromHour: number; toHour: number; text?: string };
/** When the post goes out, as the form edits it (`at` is an ISO time). */
export type ScheduleFields = { mode: MomentSchedule['mode']; at?: string; withinHours?: number };

/** The composer's fields; the two audiences are edited beside the form and passed along. */
export type MomentFormValues = {
  text: string;
  attachmentKind: AttachmentKind;
  images: MediaFields[];
  video: MediaFields;
  link: { title?: string; url: string; mediaId: string };
  variants: VariantFields[];
  senders: { userids: string[]; departmentIds: number[] };
  schedule: ScheduleFields;
};

/** The audiences the two editors hold (undefined = everyone / nobody). */
export type Audiences = { include?: Expr; exclude?: Expr };

/** An empty post: no attachment, sent now, to everyone the author's senders follow. */
export function blankMoment(): MomentFormValues {
  return {
    text: '',
    attachmentKind: 'none',
    images: [{ mediaId: '' }],
    video: { mediaId: '' },
    link: { url: '', mediaId: '' },
    variants: [],
    senders: { userids: [], departmentIds: [] },
    schedule: { mode: 'now', withinHours: 24 },
  };
}

const trimmed = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);

function media(m: MediaFields) {
  return { mediaId: m.mediaId.trim(), ...(trimmed(m.url) ? { url: trimmed(m.url) } : {}) };
}

/** The attachments of the chosen kind, leaving out rows the user left blank. */
export function attachmentsOf(values: MomentFormValues): MomentAttachment[] {
  switch (values.attachmentKind) {
    case 'image':
      return values.images.filter((m) => m.mediaId?.trim()).map((m) => ({ msgtype: 'image' as const, image: media(m) }));
    case 'video':
      return values.video.mediaId?.trim() ? [{ msgtype: 'video', video: media(values.video) }] : [];
    case 'link':
      return values.link.url?.trim()
        ? [
            {
              msgtype: 'link',
              link: {
                url: values.link.url.trim(),
                mediaId: values.link.mediaId.trim(),
                ...(trimmed(values.link.title) ? { title: trimmed(values.link.title) } : {}),
              },
            },
          ]
        : [];
    default:
      return [];
  }
}

/** The schedule as the API takes it. */
export function scheduleOf(s: ScheduleFields): MomentSchedule {
  if (s.mode === 'at') return { mode: 'at', at: s.at ?? '' };
  if (s.mode === 'best_hour') return { mode: 'best_hour', withinHours: s.withinHours ?? 24 };
  return { mode: 'now' };
}

/** The fields a post and its preview share, from the form and the two audiences. */
export function previewBodyOf(values: MomentFormValues, audiences: Audiences): MomentPreviewBody {
  const text = values.text ?? '';
  return {
    ...(text.trim() ? { text } : {}),
    attachments: attachmentsOf(values),
    variants: values.variants.map((v) => ({ label: v.label.trim(), fromHour: v.fromHour, toHour: v.toHour, ...(v.text?.trim() ? { text: v.text } : {}) })),
    senders: { userids: values.senders.userids, departmentIds: values.senders.departmentIds },
    audience: {
      ...(audiences.include ? { include: { expression: audiences.include } } : {}),
      ...(audiences.exclude ? { exclude: { expression: audiences.exclude } } : {}),
    },
    schedule: scheduleOf(values.schedule),
  };
}

/** `POST /moments`: the post as a draft or to be scheduled at once. */
export function createBodyOf(values: MomentFormValues, audiences: Audiences, draft: boolean): NewMoment {
  return { ...previewBodyOf(values, audiences), draft };
}

/** A saved post back in the form, to edit a draft (or copy a post into a new one). */
export function formOfMoment(moment: MomentDto): { values: MomentFormValues; audiences: Audiences } {
  const values = blankMoment();
  values.text = moment.text;
  const first = moment.attachments[0];
  if (first?.msgtype === 'image') {
    values.attachmentKind = 'image';
    values.images = moment.attachments.flatMap((a) => (a.msgtype === 'image' ? [{ mediaId: a.image.mediaId, url: a.image.url }] : []));
  } else if (first?.msgtype === 'video') {
    values.attachmentKind = 'video';
    values.video = { mediaId: first.video.mediaId, url: first.video.url };
  } else if (first?.msgtype === 'link') {
    values.attachmentKind = 'link';
    values.link = { title: first.link.title, url: first.link.url, mediaId: first.link.mediaId };
  }
  values.variants = moment.variants.map((v) => ({ label: v.label, fromHour: v.fromHour, toHour: v.toHour, text: v.text }));
  values.senders = { userids: [...moment.senders.userids], departmentIds: [...moment.senders.departmentIds] };
  const s = moment.schedule;
  values.schedule = s.mode === 'at' ? { mode: 'at', at: s.at } : s.mode === 'best_hour' ? { mode: 'best_hour', withinHours: s.withinHours } : { mode: 'now' };
  return {
    values,
    audiences: { include: moment.audience.include?.expression as Expr | undefined, exclude: moment.audience.exclude?.expression as Expr | undefined },
  };
}

/** A form field's path, as antd's `name` takes it. */
export type FieldPath = (string | number)[];

/**
 * Where on the form a server detail belongs (`body.variants.0.label` → `['variants', 0, 'label']`),
 * `'include'` / `'exclude'` for an audience, or undefined for one the form has no field for.
 */
export function placeOfPath(path: string | undefined): FieldPath | 'include' | 'exclude' | undefined {
  if (!path) return undefined;
  const parts = path
    .split('.')
    .filter((p) => p !== 'body' && p !== '')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const [head, second, third] = parts;
  switch (head) {
    case 'text':
      return ['text'];
    case 'attachments':
      return ['attachmentKind'];
    case 'audience':
      return second === 'exclude' ? 'exclude' : 'include';
    case 'senders':
      return ['senders', second === 'departmentIds' ? 'departmentIds' : 'userids'];
    case 'schedule':
      return second === 'at' || second === 'withinHours' ? ['schedule', second] : ['schedule', 'mode'];
    case 'variants':
      if (typeof second === 'number' && (third === 'label' || third === 'fromHour' || third === 'toHour' || third === 'text'))
        return ['variants', second, third];
      return ['text'];
    default:
      return undefined;
  }
}

/** Characters as a person counts them (an emoji is one), for the 2,000 counter. */
export function charCount(text: string): number {
  return [...text].length;
}

/** Whether an hour falls in the quiet hours `start`–`end` ("22:00"–"08:00" wraps midnight). */
export function inQuietHours(hour: number, quiet: { start: string; end: string }): boolean {
  const start = Number(quiet.start.slice(0, 2));
  const end = Number(quiet.end.slice(0, 2));
  if (start === end) return false;
  return start < end ? hour >= start && hour < end : hour >= start || hour < end;
}
