import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Undo and redo of operations. */
export const undoRoutes: FastifyPluginAsyncZod = async () => {};
