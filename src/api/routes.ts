import type { FastifyInstance } from 'fastify';
import { settingsRoutes } from '../modules/corps/settings.routes.js';
import { customerRoutes } from '../modules/customers/customers.routes.js';
import { personalTagRoutes } from '../modules/tags/personal-tags.routes.js';
import { tagRoutes } from '../modules/tags/tags.routes.js';

/** Registers every native API route; the list is explicit so what `/api/v1` offers reads in one place. */
export async function apiRoutes(app: FastifyInstance): Promise<void> {
  await app.register(tagRoutes);
  await app.register(personalTagRoutes);
  await app.register(customerRoutes);
  await app.register(settingsRoutes);
}
