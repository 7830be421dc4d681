import { ApiError } from './client.js';

/** One form field's errors, in the shape antd's `form.setFields` takes. */
export type FieldError<F extends string = string> = { name: F; errors: string[] };

/**
 * The server's refusal placed on the form fields its details name (`body.limits.nameMaxLength` →
 * `nameMaxLength`), so the user sees the server's own words beside the field to fix. Details that
 * name no field of the form are left for the caller's toast.
 */
export function fieldErrors<F extends string>(error: unknown, fields: readonly F[]): FieldError<F>[] {
  if (!(error instanceof ApiError)) return [];
  const byField = new Map<F, string[]>();
  for (const detail of error.details) {
    const field = fields.find((f) => f === detail.path?.split('.').at(-1));
    if (!field) continue;
    byField.set(field, [...(byField.get(field) ?? []), `${error.message} (${detail.message})`]);
  }
  return [...byField].map(([name, errors]) => ({ name, errors }));
}
