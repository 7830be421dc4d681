import type { FastifyInstance } from 'fastify';

/** Registers every WeCom-compatible endpoint (filled in by the WeCom surface work). */
export async function wecomRoutes(_app: FastifyInstance): Promise<void> {}
