import { asc } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { corps } from '../../db/schema/index.js';

/** Every corp on this server, by corpid: the platform operator's listing (no corp's data beyond its name). */
export async function listCorps(db: Db): Promise<{ corpId: string; name: string; createdAt: Date }[]> {
  return db.select({ corpId: corps.corpId, name: corps.name, createdAt: corps.createdAt }).from(corps).orderBy(asc(corps.corpId));
}
