import type { MomentSettingsDto } from '../../api/moments.js';

/** The settings as the form edits them: quiet hours as two flat fields. */
export type MomentSettingsForm = Omit<MomentSettingsDto, 'quietHours'> & { quietStart: string; quietEnd: string };

/** The form's fields a server detail can name (`body.moments.weeklyCap` → `weeklyCap`). */
export const momentSettingNames = ['weeklyCap', 'notInterestedStreak', 'fallbackHour', 'attributionDays', 'quietStart', 'quietEnd'] as const;

/** 00:00 … 23:00, the only values quiet hours take. */
export const hourOptions = Array.from({ length: 24 }, (_, h) => {
  const value = `${String(h).padStart(2, '0')}:00`;
  return { value, label: value };
});

/** The settings in the form's shape. */
export function formOfMomentSettings(s: MomentSettingsDto): MomentSettingsForm {
  const { quietHours, ...rest } = s;
  return { ...rest, quietStart: quietHours.start, quietEnd: quietHours.end };
}

/** The form's values back in the API's shape. */
export function momentSettingsOfForm(f: MomentSettingsForm): MomentSettingsDto {
  const { quietStart, quietEnd, ...rest } = f;
  return { ...rest, quietHours: { start: quietStart, end: quietEnd } };
}

/** Only what changed, so a save never resets a setting someone else changed meanwhile. */
export function changedMomentSettings(before: MomentSettingsDto, after: MomentSettingsDto): Partial<MomentSettingsDto> {
  const changes: Partial<MomentSettingsDto> = {};
  for (const key of ['weeklyCap', 'notInterestedStreak', 'fallbackHour', 'attributionDays'] as const) if (before[key] !== after[key]) changes[key] = after[key];
  if (before.quietHours.start !== after.quietHours.start || before.quietHours.end !== after.quietHours.end) changes.quietHours = after.quietHours;
  return changes;
}
