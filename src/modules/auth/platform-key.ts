import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors.js';
import { sha256 } from '../../ids.js';

/**
 * Checks the platform operator's key (`TAGLOOM_PLATFORM_KEY`) in `Authorization: Bearer …`.
 * Both sides are hashed first so the comparison takes the same time whatever the key's length
 * or how much of it matches.
 */
export function verifyPlatformKey(header: string | undefined, expected: string): void {
  const given = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  if (!given) throw new AppError('unauthorized', { message: 'Send the platform key as "Authorization: Bearer <TAGLOOM_PLATFORM_KEY>".' });
  if (!timingSafeEqual(Buffer.from(sha256(given), 'hex'), Buffer.from(sha256(expected), 'hex'))) {
    throw new AppError('unauthorized', { message: 'The platform key is not valid.' });
  }
}
