import { CreateCorpBody } from '../../../contracts/platform.js';
import type { Db } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { listCorps } from './corps.queries.js';
import { provisionCorp } from './provision-corp.js';

type Out = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };

/** What `tagloom corp create` takes: the corp and, optionally, its first admin. */
export type CorpCreateArgs = { corpId?: string; name?: string; admin?: string; adminName?: string };

/**
 * `tagloom corp create CORPID NAME [--admin USERID] [--admin-name NAME]`: opens a corp exactly as the
 * platform API does (the same contract checks the input) and prints its secret and the admin's
 * password once. Exit 0, 1 when refused (corpid taken…), 2 on usage errors.
 */
export async function runCorpCreate(db: Db, args: CorpCreateArgs, out: Out): Promise<number> {
  const parsed = CreateCorpBody.safeParse({
    corpId: args.corpId,
    name: args.name,
    ...(args.admin ? { admin: { userid: args.admin, name: args.adminName ?? args.admin } } : {}),
  });
  if (!parsed.success) {
    out.stderr.write('tagloom corp create CORPID NAME [--admin USERID] [--admin-name NAME]\n');
    for (const issue of parsed.error.issues) out.stderr.write(`  ${issue.path.join('.') || 'arguments'}: ${issue.message}\n`);
    return 2;
  }
  try {
    const corp = await provisionCorp(db, parsed.data, 'cli');
    out.stdout.write(`Corp ${corp.corpId} (${corp.name}) created.\n`);
    out.stdout.write(`Customer-contact secret (shown once; only its hash is kept): ${corp.secret}\n`);
    if (corp.admin) out.stdout.write(`Console admin ${corp.admin.userid}, password (shown once): ${corp.admin.password}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    out.stderr.write(`${error.message}\n`);
    return 1;
  }
}

/** `tagloom corp list`: every corp of this database, one per line (corpid, created, name). */
export async function runCorpList(db: Db, out: Out): Promise<number> {
  for (const corp of await listCorps(db)) out.stdout.write(`${corp.corpId}\t${corp.createdAt.toISOString()}\t${corp.name}\n`);
  return 0;
}
