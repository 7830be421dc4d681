import { describe, expect, it } from 'vitest';
import { CreateMomentBody, PreviewMomentBody } from '../../../../contracts/moments.js';
import type { MomentDto } from '../../api/moments.js';
import en from '../../i18n/en-US/moments.json';
import zh from '../../i18n/zh-CN/moments.json';
import type { Expr } from '../smart-groups/builder-model.js';
import { blankMoment, charCount, createBodyOf, formOfMoment, inQuietHours, type MomentFormValues, placeOfPath, previewBodyOf } from './moment-form.js';
import { changedMomentSettings } from './moment-settings-logic.js';

const sensitive: Expr = { tag: 'tg-skin' } as unknown as Expr;
const complaints: Expr = { tag: 'tg-complaint' } as unknown as Expr;

function form(changes: Partial<MomentFormValues>): MomentFormValues {
  return { ...blankMoment(), ...changes };
}

describe('the Moments composer form', () => {
  it('sends what the contract accepts: text, the images filled in, include and exclude, a draft flag', () => {
    const values = form({
      text: '修护面膜 第二件半价',
      attachmentKind: 'image',
      images: [{ mediaId: 'm1', url: 'https://cdn.example.com/1.jpg' }, { mediaId: '  ' }, { mediaId: 'm2', url: '' }],
      senders: { userids: ['u1'], departmentIds: [3] },
    });
    const body = createBodyOf(values, { include: sensitive, exclude: complaints }, true);
    expect(CreateMomentBody.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({
      text: '修护面膜 第二件半价',
      attachments: [
        { msgtype: 'image', image: { mediaId: 'm1', url: 'https://cdn.example.com/1.jpg' } },
        { msgtype: 'image', image: { mediaId: 'm2' } },
      ],
      senders: { userids: ['u1'], departmentIds: [3] },
      audience: { include: { expression: sensitive }, exclude: { expression: complaints } },
      schedule: { mode: 'now' },
      draft: true,
    });
  });

  it('keeps only the attachment kind chosen, so a wrong mix is never sent', () => {
    const values = form({ attachmentKind: 'link', images: [{ mediaId: 'm1' }], link: { url: 'https://shop.example.com/p/1', mediaId: 'cover', title: ' ' } });
    expect(previewBodyOf(values, {}).attachments).toEqual([{ msgtype: 'link', link: { url: 'https://shop.example.com/p/1', mediaId: 'cover' } }]);
    expect(previewBodyOf(form({ attachmentKind: 'none', images: [{ mediaId: 'm1' }] }), {}).attachments).toEqual([]);
  });

  it('a broadcast (no include, no exclude) sends an empty audience, and a best-hour schedule its window', () => {
    const body = previewBodyOf(form({ text: 'hi', schedule: { mode: 'best_hour', withinHours: 48 } }), {});
    expect(body.audience).toEqual({});
    expect(body.schedule).toEqual({ mode: 'best_hour', withinHours: 48 });
    expect(PreviewMomentBody.safeParse(body).success).toBe(true);
  });

  it('reads a saved draft back into the same form, so saving it unchanged sends the same post', () => {
    const values = form({
      text: '早安',
      attachmentKind: 'video',
      video: { mediaId: 'v1', url: 'https://cdn.example.com/v.mp4' },
      variants: [{ label: '晚间版', fromHour: 18, toHour: 24, text: '晚安' }],
      schedule: { mode: 'at', at: '2026-12-24T02:00:00.000Z' },
    });
    const body = createBodyOf(values, { include: sensitive }, true);
    const saved = {
      ...body,
      momentId: 'mo1',
      status: 'draft',
      text: body.text ?? '',
      audience: { include: { expression: sensitive, text: '敏感肌' }, exclude: null },
    } as unknown as MomentDto;
    const back = formOfMoment(saved);
    expect(createBodyOf(back.values, back.audiences, true)).toEqual(body);
  });

  it('places the server’s error details on the field they name', () => {
    expect(placeOfPath('body.text')).toEqual(['text']);
    expect(placeOfPath('body.attachments.1.image.mediaId')).toEqual(['attachmentKind']);
    expect(placeOfPath('body.variants.0.label')).toEqual(['variants', 0, 'label']);
    expect(placeOfPath('body.senders.userids.2')).toEqual(['senders', 'userids']);
    expect(placeOfPath('body.schedule.at')).toEqual(['schedule', 'at']);
    expect(placeOfPath('body.audience.exclude.expression')).toBe('exclude');
    expect(placeOfPath('body.audience')).toBe('include');
    expect(placeOfPath('body.nonsense')).toBeUndefined();
  });

  it('counts an emoji as one character, as the 2,000 limit does', () => {
    expect(charCount('面膜👍')).toBe(3);
  });

  it('knows quiet hours that wrap midnight', () => {
    const quiet = { start: '22:00', end: '08:00' };
    expect([21, 22, 3, 7, 8].map((h) => inQuietHours(h, quiet))).toEqual([false, true, true, true, false]);
  });

  it('saves only the Moments settings that changed', () => {
    const before = { weeklyCap: 3, quietHours: { start: '22:00', end: '08:00' }, notInterestedStreak: 3, fallbackHour: 20, attributionDays: 7 };
    expect(changedMomentSettings(before, { ...before, weeklyCap: 5 })).toEqual({ weeklyCap: 5 });
    expect(changedMomentSettings(before, { ...before, quietHours: { start: '23:00', end: '08:00' } })).toEqual({
      quietHours: { start: '23:00', end: '08:00' },
    });
  });
});

/** Every key path of a namespace. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value)
    .flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k))
    .sort();
}

describe('客户朋友圈 translations', () => {
  it('have the same keys in Chinese and English, so no control falls back to the other language', () => {
    expect(keyPaths(en)).toEqual(keyPaths(zh));
  });
});
