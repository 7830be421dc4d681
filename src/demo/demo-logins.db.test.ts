import { expect, it } from 'vitest';
import { useTestApp } from '../test/api.js';
import { describeDb } from '../test/db.js';
import { login } from '../test/session.js';
import { demoConsoleUsers, demoCorpId, seedDemoCorp } from './seed-demo.js';

describeDb('demo console users', (db) => {
  const app = useTestApp(db);

  it('each documented demo login works and carries its role', async () => {
    await seedDemoCorp(db().db, { customerCount: 20 });
    for (const user of demoConsoleUsers) {
      const res = await login(app, { corpId: demoCorpId, username: user.username, password: user.password });
      expect({ status: res.status, role: res.body.user?.role }).toEqual({ status: 200, role: user.role });
    }
  });
});
