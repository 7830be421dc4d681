import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** CSV import of customers with tags, and CSV export of customers. */
export const importRoutes: FastifyPluginAsyncZod = async () => {};
