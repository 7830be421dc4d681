import { z } from 'zod';

/** One problem with a request: where (`body.tags.0.name`) and what; some carry more (`limit`, `id`). */
export const ErrorDetail = z.looseObject({ path: z.string().optional(), code: z.string().optional(), message: z.string() });

/** The envelope of every native API error: `{ error: { code, message, details?, requestId } }`. */
export const ErrorEnvelope = z.object({
  error: z.object({
    // A string rather than an enum: a code added on the server must never break a response.
    code: z.string().meta({ description: 'A stable code: validation_failed, name_too_long, name_taken, tag_not_found, forbidden…' }),
    message: z.string(),
    details: z.array(ErrorDetail).optional(),
    requestId: z.string(),
  }),
});

/** An error envelope as the console receives it. */
export type ApiError = z.infer<typeof ErrorEnvelope>;

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 422;

/**
 * A route's response map: its success schemas plus the error envelope under 400 and 401 (every
 * route validates and authenticates) and under each further status the route can answer.
 * @example response: withErrors({ 200: TagGroup }, 404)
 */
export function withErrors<R extends Record<number, z.ZodType>, S extends ErrorStatus>(ok: R, ...statuses: S[]) {
  const errors = Object.fromEntries([400, 401, ...statuses].map((status) => [status, ErrorEnvelope]));
  return { ...ok, ...errors } as R & Record<400 | 401 | S, typeof ErrorEnvelope>;
}
