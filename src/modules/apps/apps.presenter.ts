import type { z } from 'zod';
import type { App, AppWithSecret } from '../../../contracts/apps.js';
import type { AppRow } from './apps.repo.js';

/** An app without its secret; the customer-contact app has no range (it reaches the whole corp). */
export function presentApp(row: AppRow): z.infer<typeof App> {
  return {
    appId: row.appId,
    name: row.name,
    kind: row.kind,
    range: row.kind === 'app' ? { departments: row.rangeDepartments, userids: row.rangeUserids } : null,
    createdAt: row.createdAt.toISOString(),
    rotatedAt: row.rotatedAt?.toISOString() ?? null,
  };
}

/** An app with its new secret, the one time the secret is shown. */
export function presentAppWithSecret(result: { app: AppRow; secret: string }): z.infer<typeof AppWithSecret> {
  return { app: presentApp(result.app), secret: result.secret };
}
