import type { NameRules } from './check-name.js';

type Named = Pick<NameRules, 'what' | 'max'>;

/**
 * Every named thing outside the tag library and its longest name, in characters as a person
 * counts them (the tag library's limit is the corp's `nameMaxLength` setting; see
 * src/modules/tags/names.ts). The contracts in contracts/ state the same numbers for the API docs.
 */
export const namedThings = {
  corp: { what: 'corp name', max: 64 },
  app: { what: 'app name', max: 64 },
  department: { what: 'department name', max: 64 },
  employee: { what: 'employee name', max: 64 },
  role: { what: 'role name', max: 32 },
  audience: { what: 'audience name', max: 30 },
  strategy: { what: 'rule group name', max: 30 },
} as const satisfies Record<string, Named>;

/**
 * Free text beside names, held to the same characters (line breaks allowed, empty clears it).
 * A remark and its company are names an employee gives a customer: empty clears them, blank or
 * invisible-only is refused.
 */
export const describedThings = {
  tagDescription: { what: 'tag description', max: 200 },
  audienceDescription: { what: 'audience description', max: 200 },
  roleDescription: { what: 'role description', max: 200 },
  remark: { what: 'remark', max: 20 },
  remarkCompany: { what: 'remark company', max: 20 },
  remarkDescription: { what: 'remark description', max: 150 },
} as const satisfies Record<string, Named>;
