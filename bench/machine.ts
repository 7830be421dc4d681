import os from 'node:os';

/** What the figures were measured on; every result file carries it. */
export function describeMachine(extra: Record<string, unknown> = {}) {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    ...extra,
  };
}
