import type { FastifyRequest } from 'fastify';
import { sessionTtlSeconds } from '../modules/auth/sessions.js';

/** The name of the console's session cookie. */
export const sessionCookieName = 'tagloom_session';

/**
 * The session token from a `Cookie` header, if any. Parsed here rather than with a plugin: one
 * cookie of [A-Za-z0-9] is all the API reads.
 */
export function readSessionCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== sessionCookieName) continue;
    const value = part.slice(eq + 1).trim();
    return /^[A-Za-z0-9]{20,128}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/** Whether the browser reached us over https, directly or through a proxy that says so. */
export function cameOverHttps(request: FastifyRequest): boolean {
  const forwarded = request.headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return request.protocol === 'https' || proto === 'https';
}

/**
 * The `Set-Cookie` value for a session: httpOnly (no script reads it), SameSite=Strict (no other
 * site's page sends it), 12 hours, and Secure whenever the request came over https.
 */
export function sessionCookie(token: string, secure: boolean): string {
  return [`${sessionCookieName}=${token}`, 'Path=/', `Max-Age=${sessionTtlSeconds}`, 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])].join('; ');
}

/** The `Set-Cookie` value that makes the browser drop the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return [`${sessionCookieName}=`, 'Path=/', 'Max-Age=0', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])].join('; ');
}
