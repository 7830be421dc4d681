import { execFileSync } from 'node:child_process';

/**
 * PostgreSQL's own write ceiling on this machine, for scale: pgbench's built-in TPC-B-like
 * transaction (five statements, one commit) with `clients` clients (10 unless told) for 10 s.
 * Skipped when pgbench is absent.
 */
export function pgbenchCeiling(databaseUrl: string, clients = 10): { tps: number; clients: number; latencyMs: number; note: string } | { skipped: string } {
  try {
    execFileSync('pgbench', ['-i', '-s', '1', '-q', databaseUrl], { stdio: 'ignore' });
    const out = execFileSync('pgbench', ['-c', String(clients), '-j', '2', '-T', '10', databaseUrl], { encoding: 'utf8' });
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? NaN);
    const latencyMs = Number(/latency average = ([\d.]+)/.exec(out)?.[1] ?? NaN);
    return { tps: Math.round(tps), clients, latencyMs, note: 'pgbench TPC-B-like write transactions per second, same server, same run' };
  } catch (error) {
    return { skipped: `pgbench not available: ${(error as Error).message.split('\n')[0]}` };
  }
}
