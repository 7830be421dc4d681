import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'bin', 'tagloom.js');
const dataDir = mkdtempSync(join(tmpdir(), 'tagloom-cli-'));
const run = (args: string[], env: Record<string, string> = {}) =>
  execFileSync(process.execPath, [bin, ...args], { env: { ...process.env, TAGLOOM_DATA_DIR: dataDir, DATABASE_URL: '', ...env }, encoding: 'utf8' });

/** Runs the command, capturing both streams and the exit code (stderr carries progress and problems). */
const runAll = (args: string[]) => {
  const res = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, TAGLOOM_DATA_DIR: dataDir, DATABASE_URL: '' }, encoding: 'utf8' });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
};

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the tagloom command', () => {
  it('prints its commands with --help', () => {
    const out = run(['--help']);
    for (const word of [
      'serve',
      'migrate',
      'demo',
      'import FILE',
      '--dry-run',
      '--create-tags',
      'export',
      '--out',
      '--corp',
      '--as',
      'DATABASE_URL',
      'TAGLOOM_DATA_DIR',
    ])
      expect(out).toContain(word);
  });

  it('migrate creates the PGlite database in TAGLOOM_DATA_DIR', () => {
    expect(run(['migrate'])).toContain('Migrations applied (pglite)');
    expect(readdirSync(dataDir)).toContain('PG_VERSION');
  });

  it('demo resets the demo corp and prints the secret it was given nowhere', () => {
    const out = run(['demo'], { TAGLOOM_DEMO_SECRET: 'cli-demo-secret' });
    expect(out).toMatch(/Demo corp ww-demo reset: 30 employees, 5000 customers/);
    expect(out).not.toContain('cli-demo-secret');
    expect(run(['demo'])).toMatch(/Secret \(shown once\): [A-Za-z0-9]{43}/);
  });

  it('refuses an unknown command with exit code 2', () => {
    expect(() => run(['frobnicate'])).toThrow(/Unknown command/);
  });
});

describe('tagloom import and export (on the demo corp reset above)', () => {
  const file = join(dataDir, 'leads.csv');
  const out = join(dataDir, 'customers.csv');

  it('checks a file with --dry-run, imports it, and exports it back with progress on stderr', () => {
    writeFileSync(
      file,
      '\uFEFFname,gender,province,userid,tags\r\n"导入客户, 甲",female,浙江,d3u1,导入批次/三月\r\n导入客户乙,male,江苏,d3u1,导入批次/三月;导入批次/重点\r\n',
    );
    const refused = runAll(['import', file]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('line 2: tags: unknown tag "导入批次/三月" (pass createTags to create it)');

    const dry = runAll(['import', file, '--dry-run', '--create-tags', '--corp', 'ww-demo']);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain(
      'Dry run (utf-8-bom): 2 rows would create 2 customers and 2 relations, and add 3 marks. Tags to create: 导入批次/三月, 导入批次/重点. Nothing was written.',
    );

    const done = runAll(['import', file, '--create-tags']);
    expect(done.status).toBe(0);
    expect(done.stdout).toMatch(/Imported 2 rows as operation op\w+: 2 customers, 2 relations, 2 tags created, 3 marks added/);
    expect(done.stderr).toContain('importing [####################] 100% 5/5');

    const exported = runAll(['export', '--out', out]);
    expect(exported.status).toBe(0);
    expect(exported.stderr).toMatch(/exporting \[####################\] 100% 5,002\/5,002/);
    expect(exported.stderr).toContain('Exported 5,002 customers');
    const csv = readFileSync(out, 'utf8');
    expect(csv.startsWith('\uFEFFexternal_userid,name,gender,province,city,corp_name,followers,tags\r\n')).toBe(true);
    expect(csv).toMatch(/,"导入客户, 甲",female,浙江,,,d3u1,导入批次\/三月\r\n/);
    expect(csv).toMatch(/,导入客户乙,male,江苏,,,d3u1,导入批次\/三月;导入批次\/重点\r\n/);
  }, 60_000);

  it('acts as an employee with --as, held to their role', () => {
    const staff = runAll(['export', '--as', 'd3u1']);
    expect(staff.status).toBe(1);
    expect(staff.stderr).toContain('Not allowed: customer.export');
    const admin = runAll(['export', '--as', 'd12u1']);
    expect(admin.status).toBe(0);
    expect(admin.stdout.split('\r\n').length).toBeGreaterThan(5000);
    expect(runAll(['export', '--corp', 'ww-nope']).stderr).toContain('No corp "ww-nope"');
    expect(runAll(['import']).status).toBe(2);
  }, 60_000);
});

describe('tagloom corp create and list', () => {
  it('opens a corp with its admin, prints the secret and password once, lists it, and refuses a taken corpid or bad arguments', () => {
    const created = runAll(['corp', 'create', 'ww-acme', '示例有限公司', '--admin', 'boss', '--admin-name', '老板']);
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toContain('Corp ww-acme (示例有限公司) created.');
    expect(created.stdout).toMatch(/Customer-contact secret \(shown once; only its hash is kept\): [A-Za-z0-9]{43}\n/);
    expect(created.stdout).toMatch(/Console admin boss, password \(shown once\): [A-Za-z0-9]{20}\n/);

    const listed = runAll(['corp', 'list']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/^ww-acme\t\S+\t示例有限公司$/m);
    expect(listed.stdout).toMatch(/^ww-demo\t/m);

    const taken = runAll(['corp', 'create', 'ww-acme', '又一个']);
    expect(taken.status).toBe(1);
    expect(taken.stderr).toContain('A corp with corpid "ww-acme" exists.');
    const bad = runAll(['corp', 'create', 'a b']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('corpId: a corpid');
    expect(bad.stderr).toContain('name: ');
    expect(runAll(['corp', 'list']).stdout.match(/^ww-acme\t/gm)).toHaveLength(1);
    expect(runAll(['corp', 'frobnicate']).status).toBe(2);
  }, 60_000);
});
