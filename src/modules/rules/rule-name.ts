import { ruleLimits } from '../../../contracts/rules.js';
import { checkName } from '../../names/check-name.js';

/** Normalizes and checks a rule's name (1–64 characters, the one name policy); throws naming `body.name`. */
export function checkRuleName(raw: string): string {
  return checkName(raw, { what: 'rule name', max: ruleLimits.nameMax, path: 'body.name' });
}
