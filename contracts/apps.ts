import { z } from 'zod';
import { chars, Timestamp } from './common.js';

// ---- input ----

/** An app's visible range: departments (with their sub-departments) and members. Empty reaches nobody. */
export const AppRange = z.strictObject({
  departments: z.array(z.int().min(1).max(2_147_483_647)).max(1000),
  userids: z.array(z.string().min(1).max(64)).max(1000),
});

/** `:appId` in a path. */
export const AppIdParams = z.strictObject({ appId: z.string().min(1).max(64) });

/** `POST /apps`: an ordinary app limited to its range. */
export const CreateAppBody = z.strictObject({ name: chars(64).pipe(z.string().min(1)), range: AppRange });

/** `PATCH /apps/:appId`: rename or change the range (the customer-contact app has none). */
export const UpdateAppBody = z
  .strictObject({ name: chars(64).pipe(z.string().min(1)).optional(), range: AppRange.optional() })
  .refine((b) => Object.keys(b).length > 0, 'give at least one of name, range');

// ---- output ----

/** An app without its secret (only a hash is stored). `range` is null for the customer-contact app, which reaches the whole corp. */
export const App = z.object({
  appId: z.string(),
  name: z.string(),
  kind: z.enum(['customer_contact', 'app']),
  range: z.object({ departments: z.array(z.number()), userids: z.array(z.string()) }).nullable(),
  createdAt: Timestamp,
  rotatedAt: Timestamp.nullable(),
});

/** `GET /apps`. */
export const AppList = z.object({ apps: z.array(App) });

/** `POST /apps` and `POST /apps/:appId/rotate`: the app and its secret, shown this once. */
export const AppWithSecret = z.object({ app: App, secret: z.string().meta({ description: 'Shown only in this response; store it now.' }) });
