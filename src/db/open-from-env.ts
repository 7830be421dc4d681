import type { Env } from '../env.js';
import { type Database, openDatabase } from './client.js';

/**
 * Opens the database the environment names: a PostgreSQL server, or PGlite in the data folder,
 * locked for this process (`command` tells whoever else tries what holds it).
 */
export function openFromEnv(env: Env, command: string): Promise<Database> {
  return openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.TAGLOOM_DATA_DIR, command });
}
