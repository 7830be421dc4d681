import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db/client.js';
import { buildCorp, buildEmployees } from './test/factories.js';
import { runTagloom, type Spawned, spawnNode, startTagloomServer, tagloomBin } from './test/processes.js';

// Issue 12 §0: with the server running on PGlite, `tagloom import` in a second terminal printed
// "Imported", the server never saw the customer, and after a restart it was gone. One process per
// data directory: the second one is refused with what to do instead.

const dataDir = mkdtempSync(join(tmpdir(), 'tagloom-beside-'));
const env = { TAGLOOM_DATA_DIR: dataDir, DATABASE_URL: '' };
let corpId = '';
let secret = '';
let seller = '';
const file = (name: string, csv: string) => {
  const path = join(dataDir, name);
  writeFileSync(path, csv);
  return path;
};
const stopped = (server: Spawned) => {
  server.proc.kill('SIGTERM');
  return server.exited;
};
// A refusal tells the user what to do; it is never a stack trace.
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at /m);

beforeAll(async () => {
  // A small corp of its own, so that the server does not seed the 5,000-customer demo.
  const database = await openDatabase({ dataDir });
  const corp = await buildCorp(database.db);
  seller = (await buildEmployees(corp.ctx, 1, 'staff'))[0]!;
  ({ corpId, secret } = corp);
  await database.close();
}, 60_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the tagloom command beside a running server on one PGlite directory', () => {
  it('refuses to open the directory, says how to do the same through the server, and loses nothing', async () => {
    const server = await startTagloomServer(env);
    try {
      const second = spawnNode([tagloomBin, 'serve'], { ...env, PORT: '0' });
      // Should it start after all, it is stopped, so that the test fails rather than waits.
      void second.waitFor(/Tagloom serves/).then(
        () => second.proc.kill('SIGKILL'),
        () => {},
      );
      expect(await second.exited).toEqual({ code: 1, signal: null });
      expect(second.stderr()).toContain(`Cannot start: the data directory ${dataDir} is in use by pid ${server.proc.pid} (tagloom serve on ${server.url}`);
      expect(second.stderr()).toContain('TAGLOOM_DATA_DIR');
      noStack(second.stderr());

      const during = file('during.csv', `name,userid,tags\n服务中导入,${seller},来源/命令行\n`);
      const refused = await runTagloom(['import', during, '--create-tags', '--corp', corpId], env);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain(`Cannot run import: the data directory ${dataDir} is in use by pid ${server.proc.pid}`);
      expect(refused.stderr).toContain(
        `curl -H "Authorization: Bearer $SECRET" -H 'content-type: text/csv' --data-binary @'${during}' '${server.url}/api/v1/imports?createTags=true'`,
      );
      noStack(refused.stderr);
      for (const args of [['export', '--relations'], ['migrate'], ['demo']]) {
        const other = await runTagloom(args, env);
        expect(other.code, args[0]).toBe(1);
        expect(other.stderr).toContain(`Cannot run ${args[0]}: the data directory ${dataDir} is in use by pid ${server.proc.pid}`);
        noStack(other.stderr);
      }
      expect((await runTagloom(['export', '--out', 'x.csv'], env)).stderr).toContain(
        `curl -H "Authorization: Bearer $SECRET" -o 'x.csv' '${server.url}/api/v1/customers/export'`,
      );
      const corp = await runTagloom(['corp', 'create', 'ww-beside', '旁边'], env);
      expect(corp.code).toBe(1);
      expect(corp.stderr).toContain(`Cannot run corp create: the data directory ${dataDir} is in use by pid ${server.proc.pid}`);
      expect(corp.stderr).toContain(`${server.url}/api/v1/platform/corps`);

      // What the refusal suggests works: the import goes through the server.
      const viaApi = await fetch(`${server.url}/api/v1/imports?createTags=true`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'text/csv' },
        body: readFileSync(during),
      });
      expect(viaApi.status).toBe(201);

      expect(await stopped(server)).toEqual({ code: 0, signal: null });
      noStack(server.stderr());
    } finally {
      server.proc.kill('SIGKILL');
    }

    // With the server stopped, the CLI may open the directory.
    const after = file('after.csv', `name,userid,tags\n停机后导入,${seller},来源/命令行\n`);
    const imported = await runTagloom(['import', after, '--corp', corpId], env);
    expect(imported.stderr).not.toContain('Cannot');
    expect(imported.stdout).toMatch(/Imported 1 rows as operation/);

    // A restarted server sees both, and after it is killed with -9 the next opener takes over.
    const restarted = await startTagloomServer(env);
    try {
      const page = await fetch(`${restarted.url}/api/v1/customers?limit=1000`, { headers: { authorization: `Bearer ${secret}` } });
      const names = ((await page.json()) as { customers: { name: string }[] }).customers.map((c) => c.name);
      expect(names).toEqual(expect.arrayContaining(['服务中导入', '停机后导入']));
    } finally {
      restarted.proc.kill('SIGKILL');
      await restarted.exited;
    }
    const exported = await runTagloom(['export', '--corp', corpId], env);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('服务中导入');
    expect(exported.stdout).toContain('停机后导入');
  }, 180_000);
});
