import { z } from 'zod';
import { Abilities } from './tags.js';

/** The shortest console password accepted (also enforced by the server's commands). */
export const minPasswordLength = 10;

// Passwords are bounded so a huge body cannot buy minutes of scrypt work.
const Password = z.string().min(1).max(256);
const NewPassword = z.string().min(minPasswordLength, `at least ${minPasswordLength} characters`).max(256);

/** `POST /auth/login`: the corp, the employee's userid as username, and the password. */
export const LoginBody = z.strictObject({ corpId: z.string().min(1).max(64), username: z.string().min(1).max(64), password: Password });

/** `POST /auth/password`: the current password and a new one of at least 10 characters. */
export const ChangePasswordBody = z.strictObject({ currentPassword: Password, newPassword: NewPassword });

/** `POST /employees/:userid/password`: a console password an admin sets for an employee. */
export const SetPasswordBody = z.strictObject({ password: NewPassword });

/** `GET /auth/me`: who the caller is and what their role lets them do, so the console can hide the rest. */
export const Me = z.object({
  corpId: z.string(),
  userid: z.string(),
  name: z.string(),
  role: z.string(),
  roleName: z.string(),
  departments: z.array(z.object({ deptId: z.number(), name: z.string() })),
  abilities: Abilities,
});

/** `POST /auth/login`: the user now logged in and when the session ends. */
export const LoginResult = z.object({ user: Me, expiresAt: z.iso.datetime() });

/** `POST /auth/password`: how many other sessions were ended. */
export const PasswordChanged = z.object({ sessionsEnded: z.number() });

/** The logged-in user as the console receives it. */
export type MeDto = z.infer<typeof Me>;
