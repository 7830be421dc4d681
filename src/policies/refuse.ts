import type { Actor } from '../context.js';
import { AppError, type ErrorDetail } from '../errors.js';

// Every authorization failure is built here (the architecture test holds the rest of src/ to it), so
// a refusal reads the same on both surfaces: 403 `forbidden` on /api/v1, errcode 60011 on /cgi-bin.

/**
 * The error for an action the caller may not do, with the reason they should read (and, where a
 * field of the request is to blame, `details` naming it).
 * @example if (!policy.reaches(userid)) throw forbidden(`${userid}'s customers are outside your data scope.`);
 */
export function forbidden(reason: string, details?: ErrorDetail[]): AppError {
  return new AppError('forbidden', details ? { message: reason, details } : { message: reason });
}

/** An actor who is an employee: a console session, or an app acting as one. */
export type EmployeeActor = Extract<Actor, { kind: 'employee' }>;

/**
 * Refuses, with `reason`, unless the actor is an employee (things only a person has: a password,
 * a session, personal tags). Narrows the actor for the code after it.
 */
export function requireEmployeeActor(actor: Actor, reason: string): asserts actor is EmployeeActor {
  if (actor.kind !== 'employee') throw forbidden(reason);
}
