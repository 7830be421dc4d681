import type { FastifyInstance } from 'fastify';

/** Registers every native API route (filled in by the native API work). */
export async function apiRoutes(_app: FastifyInstance): Promise<void> {}
