import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'bin', 'tagloom.js');
const dataDir = mkdtempSync(join(tmpdir(), 'tagloom-cli-'));
const run = (args: string[], env: Record<string, string> = {}) =>
  execFileSync(process.execPath, [bin, ...args], { env: { ...process.env, TAGLOOM_DATA_DIR: dataDir, DATABASE_URL: '', ...env }, encoding: 'utf8' });

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the tagloom command', () => {
  it('prints its commands with --help', () => {
    const out = run(['--help']);
    for (const word of ['serve', 'migrate', 'demo', 'DATABASE_URL', 'TAGLOOM_DATA_DIR']) expect(out).toContain(word);
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
