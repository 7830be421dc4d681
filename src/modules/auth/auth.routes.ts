import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ChangePasswordBody, LoginBody, LoginResult, Me, PasswordChanged } from '../../../contracts/auth.js';
import { ErrorEnvelope, withErrors } from '../../../contracts/errors.js';
import { apiCtx } from '../../api/api-context.js';
import { cameOverHttps, clearedSessionCookie, sessionCookie } from '../../api/session-cookie.js';
import { withTx } from '../../context.js';
import { forbidden } from '../../policies/index.js';
import { presentMe } from './auth.presenter.js';
import { getMe } from './auth.queries.js';
import { changePassword } from './change-password.js';
import { endSession } from './commands/end-session.js';
import { logIn } from './log-in.js';

const tags = ['Console login'];

function sessionHash(hash: string | undefined): string {
  if (!hash) throw forbidden('Only a console session (cookie) can do this; an API key has no session.');
  return hash;
}

/**
 * Console login with the session cookie `tagloom_session` (httpOnly, SameSite=Strict, 12 hours),
 * logout, password change and "who am I". Login is the only `/api/v1` route without credentials.
 */
export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/auth/login',
    {
      config: { apiPublic: true },
      schema: {
        tags,
        summary: 'Log in to the console',
        description:
          "The username is the employee's userid. More than 5 failures for one username (or 20 from one IP) in 15 minutes answer 429 without checking the password.",
        security: [],
        body: LoginBody,
        response: { ...withErrors({ 200: LoginResult }), 429: ErrorEnvelope },
      },
    },
    async (request, reply) => {
      const session = await logIn(app.db, { ...request.body, ip: request.ip, requestId: request.id });
      reply.header('set-cookie', sessionCookie(session.token, cameOverHttps(request)));
      return { user: presentMe(await getMe(session.ctx)), expiresAt: session.expiresAt.toISOString() };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags,
        summary: 'Log out',
        description: 'Ends this session and clears the cookie.',
        response: withErrors({ 204: z.null().meta({ description: 'Logged out.' }) }, 403),
      },
    },
    async (request, reply) => {
      await withTx(apiCtx(request), (tx) => endSession(tx, { tokenHash: sessionHash(request.apiSessionHash) }));
      return reply
        .code(204)
        .header('set-cookie', clearedSessionCookie(cameOverHttps(request)))
        .send(null);
    },
  );

  app.post(
    '/auth/password',
    {
      schema: {
        tags,
        summary: "Change one's own password",
        description: 'Needs the current password (failures count as failed logins) and ends every other session of the user.',
        body: ChangePasswordBody,
        response: { ...withErrors({ 200: PasswordChanged }, 403), 429: ErrorEnvelope },
      },
    },
    async (request) => {
      const { currentPassword, newPassword } = request.body;
      return changePassword(apiCtx(request), { currentPassword, newPassword, keepTokenHash: sessionHash(request.apiSessionHash), ip: request.ip });
    },
  );

  app.get(
    '/auth/me',
    {
      schema: {
        tags,
        summary: 'Who am I',
        description: 'The user, their role and departments, and `abilities`: every permission and whether their role grants it.',
        response: withErrors({ 200: Me }, 403),
      },
    },
    async (request) => presentMe(await getMe(apiCtx(request))),
  );
};
