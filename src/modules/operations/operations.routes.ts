import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Operations: batch jobs, their progress and cancellation (filled in by the jobs work). */
export const operationRoutes: FastifyPluginAsyncZod = async () => {};
