import { parseArgs } from 'node:util';
import { resetDemoCorp } from './demo/reset-demo.js';
import { readEnv } from './env.js';
import { openFromEnv, startServer } from './server.js';

const help = `tagloom — customer tags for WeCom corps

Usage: tagloom <command>

Commands:
  serve     Serve the API on PORT (default 3000); the default when no command is given
  migrate   Apply database migrations and exit
  demo      Reset the demo corp (ww-demo) to fresh synthetic data and print its secret
  --help    Show this help

Configuration (environment): PORT, HOST, DATABASE_URL (unset = embedded PGlite),
TAGLOOM_DATA_DIR (default ./data), TAGLOOM_DEMO_SECRET, LOG_LEVEL. See README.md.
`;

/** Runs the `tagloom` command line; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  const command = positionals[0] ?? 'serve';
  if (values.help || command === 'help') {
    process.stdout.write(help);
    return 0;
  }
  const env = readEnv();
  if (command === 'serve') {
    await startServer(env);
    return -1; // keep running
  }
  if (command === 'migrate') {
    const database = await openFromEnv(env);
    await database.close();
    process.stdout.write(`Migrations applied (${database.kind}).\n`);
    return 0;
  }
  if (command === 'demo') {
    const database = await openFromEnv(env);
    const demo = await resetDemoCorp(database.db, { secret: env.TAGLOOM_DEMO_SECRET });
    await database.close();
    process.stdout.write(`Demo corp ${demo.corpId} reset: ${demo.employees} employees, ${demo.customers} customers, ${demo.marks} marks.\n`);
    process.stdout.write(env.TAGLOOM_DEMO_SECRET ? 'Secret: the value of TAGLOOM_DEMO_SECRET.\n' : `Secret (shown once): ${demo.secret}\n`);
    return 0;
  }
  process.stderr.write(`Unknown command "${command}".\n\n${help}`);
  return 2;
}
