import type { Database, Db } from '../../../db/client.js';
import { corps } from '../../../db/schema/index.js';
import { maintainSmartGroups } from '../../smart-groups/maintain.js';
import { AudienceEngine } from './engine.js';

/**
 * The engine a server runs (with `warm`, every corp's index is built at start): woken by NOTIFY when `listen` is given, polling every second anyway,
 * and keeping smart groups current after each refresh that took in events.
 */
export async function startAudienceEngine(db: Db, opts: { listen?: Database['listen']; log?: (error: unknown) => void; warm?: boolean } = {}): Promise<AudienceEngine> {
  const engine = new AudienceEngine(db, {
    listen: opts.listen,
    buildOnNotify: opts.warm,
    afterApply: async (corpId, index) => {
      await maintainSmartGroups(db, corpId, index);
    },
    onError: opts.log,
  });
  await engine.start();
  if (opts.warm) {
    const rows = await db.select({ corpId: corps.corpId }).from(corps);
    void engine.warm(rows.map((r) => r.corpId));
  }
  return engine;
}
