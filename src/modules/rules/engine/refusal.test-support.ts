import type { AppError } from '../../../errors.js';

/** The AppError `fn` throws; fails the test when it returns instead (the rule checks' tests read the error's code and details). */
export function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a refusal');
}
