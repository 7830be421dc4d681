import type { ContactWayRow } from '../../db/schema/index.js';

/** Longest `state` and `remark` WeCom accepts (wecom-api.md §6.1). */
export const contactWayTextMax = 30;

/** The longest a temporary way's QR code or its chat may last: 14 days, in seconds. */
export const contactWayMaxSeconds = 14 * 24 * 3600;

/** Members a multi-person way may hold, departments expanded (wecom-api.md §6.1). */
export const contactWayMaxMembers = 100;

/**
 * A contact way's fields as both surfaces hand them to the commands (WeCom's snake_case and the
 * native camelCase map onto this). Absent fields keep their stored value on update.
 */
export type ContactWayFields = {
  type: 1 | 2;
  scene: 1 | 2;
  style: number | null;
  remark: string;
  skipVerify: boolean;
  state: string;
  userids: string[];
  party: number[];
  isTemp: boolean;
  expiresIn: number | null;
  chatExpiresIn: number | null;
  unionid: string;
  conclusions: Record<string, unknown> | null;
  startsAt: Date | null;
  endsAt: Date | null;
  defaultTagIds: string[];
};

/** A new way: `type` and `scene` are required, everything else has WeCom's default. */
export type NewContactWay = Pick<ContactWayFields, 'type' | 'scene'> & Partial<ContactWayFields>;

/** A change to a way: `type` and `scene` are fixed once created, as in WeCom. */
export type ContactWayChanges = Partial<Omit<ContactWayFields, 'type' | 'scene'>>;

/** The defaults WeCom applies to a new way (skip_verify true, no members, not temporary). */
export function withDefaults(input: NewContactWay): ContactWayFields {
  return {
    style: null,
    remark: '',
    skipVerify: true,
    state: '',
    userids: [],
    party: [],
    isTemp: false,
    expiresIn: null,
    chatExpiresIn: null,
    unionid: '',
    conclusions: null,
    startsAt: null,
    endsAt: null,
    defaultTagIds: [],
    ...stripUndefined(input),
    type: input.type,
    scene: input.scene,
  };
}

/** A stored way's fields, with `changes` laid over them (undefined keeps the stored value). */
export function applyChanges(row: ContactWayRow, changes: ContactWayChanges): ContactWayFields {
  const stored: ContactWayFields = {
    type: row.type as 1 | 2,
    scene: row.scene as 1 | 2,
    style: row.style,
    remark: row.remark,
    skipVerify: row.skipVerify,
    state: row.state,
    userids: row.userids,
    party: row.party,
    isTemp: row.isTemp,
    expiresIn: row.expiresIn,
    chatExpiresIn: row.chatExpiresIn,
    unionid: row.unionid,
    conclusions: row.conclusions ?? null,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    defaultTagIds: row.defaultTagIds,
  };
  return { ...stored, ...stripUndefined(changes) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Whether an add at `at` falls inside the way's campaign window (no window: always). */
export function insideWindow(way: Pick<ContactWayRow, 'startsAt' | 'endsAt'>, at: Date): boolean {
  if (way.startsAt && at < way.startsAt) return false;
  if (way.endsAt && at >= way.endsAt) return false;
  return true;
}
