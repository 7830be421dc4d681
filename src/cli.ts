import { parseArgs } from 'node:util';
import { demoCorpId } from '../contracts/demo.js';
import { DataDirBusyError, describeHolder } from './db/data-dir-lock.js';
import { type Env, readEnv } from './env.js';

const help = `tagloom — customer tags for WeCom corps

Usage: tagloom <command> [options]

Commands:
  serve         Serve the API on PORT (default 3000); the default when no command is given
  migrate       Apply database migrations and exit
  demo          Reset the demo corp (ww-demo) to fresh synthetic data and print its secret
  import FILE   Import customers, follow relations and tags from a CSV file (UTF-8 or GBK) as one
                undoable operation; nothing is written if any row has a problem
                  --dry-run      check the file and report, writing nothing
                  --create-tags  create missing tags named group/tag (and their groups)
  export        Export customers with their tags as CSV (UTF-8 with BOM)
                  --out FILE     write to FILE instead of stdout
                  --relations    a row per follow relation, in the import file's columns
  corp create CORPID NAME
                Open a new corp with its customer-contact secret (printed once) and a root
                department
                  --admin USERID     also create its first admin, with a console password
                                     (printed once)
                  --admin-name NAME  the admin's display name (default: the userid)
  corp list     List the corps of this database
  --help        Show this help

Options of import and export:
  --corp CORPID   the corp (default ww-demo)
  --as USERID     act as this employee, with their role and data scope (default: the system)

Configuration (environment): PORT, HOST, DATABASE_URL (unset = embedded PGlite),
TAGLOOM_DATA_DIR (default ./data), TAGLOOM_DEMO_SECRET, TAGLOOM_PLATFORM_KEY, LOG_LEVEL.
See README.md. Embedded PGlite allows one process per data directory: beside a running server,
import and export say how to send the same to the server; migrate, demo and corp need it stopped.
`;

/** Runs the `tagloom` command line; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      corp: { type: 'string' },
      as: { type: 'string' },
      out: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'create-tags': { type: 'boolean' },
      relations: { type: 'boolean' },
      admin: { type: 'string' },
      'admin-name': { type: 'string' },
    },
  });
  const command = positionals[0] ?? 'serve';
  if (values.help || command === 'help') {
    process.stdout.write(help);
    return 0;
  }
  const env = readEnv();
  try {
    return await run(command, positionals, values, env);
  } catch (error) {
    if (!(error instanceof DataDirBusyError)) throw error;
    process.stderr.write(busyAdvice(command, error, positionals[1], values));
    return 1;
  }
}

type Values = {
  corp?: string;
  as?: string;
  out?: string;
  'dry-run'?: boolean;
  'create-tags'?: boolean;
  relations?: boolean;
  admin?: string;
  'admin-name'?: string;
};

// Each command imports what it runs when it runs: the server's whole module graph takes about 2 s
// to load through tsx, which `--help`, `corp list` or a mistyped command need not wait for.
const openFromEnv = async (env: Env, command: string) => (await import('./db/open-from-env.js')).openFromEnv(env, command);

async function run(command: string, positionals: string[], values: Values, env: Env): Promise<number> {
  if (command === 'serve') {
    const { startServer } = await import('./server.js');
    await startServer(env);
    return -1; // keep running
  }
  if (command === 'migrate') {
    const database = await openFromEnv(env, 'tagloom migrate');
    await database.close();
    process.stdout.write(`Migrations applied (${database.kind}).\n`);
    return 0;
  }
  if (command === 'demo') {
    const { resetDemoCorp } = await import('./demo/reset-demo.js');
    const database = await openFromEnv(env, 'tagloom demo');
    const demo = await resetDemoCorp(database.db, { secret: env.TAGLOOM_DEMO_SECRET });
    await database.close();
    process.stdout.write(`Demo corp ${demo.corpId} reset: ${demo.employees} employees, ${demo.customers} customers, ${demo.marks} marks.\n`);
    process.stdout.write(env.TAGLOOM_DEMO_SECRET ? 'Secret: the value of TAGLOOM_DEMO_SECRET.\n' : `Secret (shown once): ${demo.secret}\n`);
    return 0;
  }
  if (command === 'import' || command === 'export') {
    const file = positionals[1];
    if (command === 'import' && !file) {
      process.stderr.write(`tagloom import needs a FILE.\n\n${help}`);
      return 2;
    }
    const { cliContext, runExport, runImport } = await import('./modules/imports/imports.cli.js');
    const database = await openFromEnv(env, `tagloom ${command}`);
    try {
      const ctx = await cliContext(database.db, values.corp ?? demoCorpId, values.as);
      const out = { stdout: process.stdout, stderr: process.stderr };
      if (command === 'export') return await runExport(ctx, values.out, out, values.relations ? 'relations' : 'customers');
      return await runImport(ctx, file!, { dryRun: values['dry-run'] ?? false, createTags: values['create-tags'] ?? false }, out);
    } finally {
      await database.close();
    }
  }
  if (command === 'corp' && (positionals[1] === 'create' || positionals[1] === 'list')) {
    const { runCorpCreate, runCorpList } = await import('./modules/corps/corps.cli.js');
    const database = await openFromEnv(env, `tagloom corp ${positionals[1]}`);
    try {
      const out = { stdout: process.stdout, stderr: process.stderr };
      if (positionals[1] === 'list') return await runCorpList(database.db, out);
      return await runCorpCreate(database.db, { corpId: positionals[2], name: positionals[3], admin: values.admin, adminName: values['admin-name'] }, out);
    } finally {
      await database.close();
    }
  }
  process.stderr.write(`Unknown command "${[command, ...positionals.slice(1, 2)].join(' ')}".\n\n${help}`);
  return 2;
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * What to do when a PGlite folder is held by another process (one process per folder, or writes
 * are lost): for a running server, the same through its API with curl, or stop it first. `file` is
 * the command's first argument: import's FILE, or corp's subcommand.
 */
function busyAdvice(command: string, error: DataDirBusyError, file: string | undefined, values: Values): string {
  const { holder } = error;
  const named = command === 'corp' ? `corp ${file ?? ''}`.trim() : command;
  const lines = [
    `Cannot ${command === 'serve' ? 'start' : `run ${named}`}: the data directory ${error.dir} is in use by ${describeHolder(holder)}.`,
    'PGlite lets one process at a time open a data directory.',
  ];
  if (error.expiresInMs !== null)
    lines.push(
      `That process runs where this one cannot check on it (another host or container); if it is gone, its lock expires in ${Math.ceil(error.expiresInMs / 1000)} s.`,
    );
  const server = holder.command === 'tagloom serve' ? (holder.url ?? 'http://HOST:PORT') : null;
  const stopIt = `stop ${server ? 'the server' : 'it'} (Ctrl-C in its terminal, or \`kill ${holder.pid}\`)`;
  const auth = `-H "Authorization: Bearer $SECRET"${values.as ? ` -H ${quote(`Tagloom-Acting-User: ${values.as}`)}` : ''}`;
  const instead = (what: string, curl: string) => [
    `${what} through the running server instead ($SECRET: a secret of the corp):`,
    `  curl ${auth} ${curl}`,
    `or ${stopIt} and run this command again.`,
  ];
  if (command === 'serve') {
    lines.push(`Stop it first, or give this server a data directory of its own (TAGLOOM_DATA_DIR) or a PostgreSQL server (DATABASE_URL).`);
  } else if (server && command === 'import') {
    const query = [values['dry-run'] ? 'dryRun=true' : '', values['create-tags'] ? 'createTags=true' : ''].filter(Boolean).join('&');
    lines.push(
      ...instead(
        'Import',
        `-H 'content-type: text/csv' --data-binary @${quote(file ?? 'FILE')} ${quote(`${server}/api/v1/imports${query ? `?${query}` : ''}`)}`,
      ),
    );
  } else if (server && command === 'export') {
    lines.push(
      ...instead(
        'Export',
        `${values.out ? `-o ${quote(values.out)} ` : ''}${quote(`${server}/api/v1/customers/export${values.relations ? '?layout=relations' : ''}`)}`,
      ),
    );
  } else if (server && command === 'corp') {
    lines.push(
      `The running server opens corps at ${server}/api/v1/platform/corps when it was started with TAGLOOM_PLATFORM_KEY (see README.md); or ${stopIt} and run this command again.`,
    );
  } else if (server && command === 'migrate') {
    lines.push(`The running server applied the migrations when it started; to run migrate on its own, ${stopIt} first.`);
  } else {
    lines.push(`${server ? 'First' : 'Wait for it to finish, or'} ${stopIt}; then run this command again.`);
  }
  return `${lines.join('\n')}\n`;
}
