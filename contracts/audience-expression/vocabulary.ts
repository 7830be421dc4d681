/**
 * Words of the expression language that stand for numbers in the data: WeCom `add_way` codes and
 * genders. Both the parser and the printer read these tables, so a name always prints back as itself.
 */

/** WeCom `follow_user.add_way` codes by their name in the text syntax (`source:scan`). */
export const addWayCodes: Readonly<Record<string, number>> = {
  unknown: 0,
  scan: 1,
  search: 2,
  card: 3,
  group: 4,
  contacts: 5,
  wechat: 6,
  service: 8,
  email: 9,
  channels: 10,
  colleague: 201,
  assigned: 202,
};

/** WeCom gender codes by their name in the text syntax (`gender:female`). */
export const genderCodes: Readonly<Record<string, number>> = { unknown: 0, male: 1, female: 2 };

/** The name of a code in one of the tables above, or undefined for a code without one. */
export function codeName(table: Readonly<Record<string, number>>, code: number): string | undefined {
  return Object.keys(table).find((name) => table[name] === code);
}

/**
 * What a bare word must look like to be read as a tag or group id rather than a name: WeCom's
 * `et…` / `st…` and our `pt…` prefixes, then ASCII with at least one digit or capital, so an English
 * tag name such as `students` stays a name. `tag:#id` is the unambiguous form for any other id.
 * @example idPattern.test('etAJ2GCAAAXtWyujaWJHDDGi0mACHAAA') // → true
 */
export const idPattern = /^(?:et|st|pt)(?=[A-Za-z0-9_-]*[A-Z0-9])[A-Za-z0-9_-]{6,}$/;

/**
 * What a bare word must look like to be read as a group chat id rather than a chat name: WeCom's
 * `wr…` chat ids, with a digit or capital. `groupchat:#id` is the form for any other id.
 * @example chatIdPattern.test('wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA') // → true
 */
export const chatIdPattern = /^wr(?=[A-Za-z0-9_-]*[A-Z0-9])[A-Za-z0-9_-]{6,}$/;

/** The word of `groupchat:*`: a member of any customer group chat. */
export const anyChat = '*';

/** Behaviour event types: lowercase dotted identifiers such as `link.clicked` or `live.attended`. */
export const eventTypePattern = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/;

/** A number literal as the text syntax writes it; `String(n)` of any finite number matches it. */
export const numberPattern = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A relative duration such as `30d` or `12h`. */
export const durationPattern = /^(\d{1,6})([dh])$/i;

/** Field names of the text syntax, for "did you mean" hints on a misspelt field. */
export const fieldNames = [
  'tag',
  'group',
  'source',
  'state',
  'added',
  'province',
  'city',
  'region',
  'gender',
  'company',
  'follower',
  'dept',
  'groupchat',
  'attr',
  'event',
] as const;
