import { z } from 'zod';

/**
 * Shared building blocks of the native API contracts (`/api/v1`), imported by the server and the
 * web console so both read the same shapes.
 */

/** An opaque id as the API hands it out (`et…`, `pt…`, `wm…`, a userid). */
export const Id = z.string().min(1).max(64);

/** A timestamp in the responses: ISO 8601 in UTC. */
export const Timestamp = z.iso.datetime();

/**
 * A list of ids in a query string, given comma-separated (`?tagId=a,b`), repeated
 * (`?tagId=a&tagId=b`) or both; blanks are dropped.
 */
export const IdList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) =>
    value === undefined
      ? []
      : (Array.isArray(value) ? value : [value])
          .flatMap((s) => s.split(','))
          .map((s) => s.trim())
          .filter(Boolean),
  )
  .meta({ description: 'Ids, comma-separated or repeated.' });

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * A string of at most `max` characters as a person counts them: grapheme clusters, so 购买意向 is 4
 * and 🇨🇳 or 👨‍👩‍👧 is 1 (the server's name policy, src/names, counts the same way). Hence a
 * refinement rather than `.max()`, which counts UTF-16 units.
 */
export function chars(max: number) {
  return z
    .string()
    .refine((s) => {
      let n = 0;
      for (const _ of graphemes.segment(s)) if (++n > max) return false;
      return true;
    }, `at most ${max} characters`)
    .meta({ maxLength: max });
}

/** The largest value of a PostgreSQL `integer` column: a larger id would fail in the database, so schemas refuse it first. */
export const int32Max = 2_147_483_647;

/** A positive id kept in an integer column: a department id (WeCom's partyid). */
export const PositiveInt32 = z.int().min(1).max(int32Max);

/** `PositiveInt32` in a path or query string, where it arrives as text (`?department=2`). */
export const PositiveInt32Param = z.coerce.number().int().min(1).max(int32Max);

/** A display order: larger lists first (WeCom's `order`, an unsigned 32-bit integer). */
export const Order = z.int().min(0).max(4_294_967_295);

/**
 * A name as the request gives it. Its length limit is a per-corp setting, so the command checks
 * it (answering `name_too_long` with the limit) rather than this schema.
 */
export const Name = z.string().min(1);
