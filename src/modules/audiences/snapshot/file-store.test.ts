import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase, queryRows } from '../../../db/client.js';
import { buildRegionalCorp } from '../../../test/org-fixture.js';
import { markTags } from '../../customers/commands/mark-tags.js';
import { buildCorpIndex, tagBitmap } from '../index/corp-index.js';
import { indexSnapshot, sqlTruth } from '../index/test-support.js';
import { AudienceEngine } from '../service/engine.js';
import { captureIndex, snapshotFormat } from './codec.js';
import { fileSnapshotStore, snapshotFile, snapshotFolderOf } from './file-store.js';
import { restoreCorpIndex } from './restore.js';
import { writeSnapshot } from './store.js';

// PGlite on a data folder keeps its index snapshots as files (file-store.ts). These tests open a
// real folder, close it and open it again, as a restarted server does.

const folders: string[] = [];
afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

async function openFolder(dataDir: string): Promise<Database> {
  return openDatabase({ dataDir, command: 'snapshot file test' });
}

type Log = Record<string, unknown>[];

/** Starts an engine with file snapshots, loads the corp, stops it (which saves), and returns how the index started. */
async function startAndStop(database: Database, dir: string, corpId: string, logs: Log) {
  const engine = new AudienceEngine(database.db, { snapshots: { dir }, log: (fields) => void logs.push(fields) });
  const index = await engine.current(corpId);
  const truth = await sqlTruth(database.db, corpId);
  expect(await indexSnapshot(database.db, index)).toEqual(truth);
  await engine.stop();
  return { path: logs.at(-1)?.path, index };
}

describe('index snapshots as files in a PGlite data folder', () => {
  it('an engine restarted on the same folder loads from the file and tails what committed in between; the table stays empty', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tagloom-snapfile-'));
    folders.push(dataDir);
    const dir = snapshotFolderOf(dataDir)!;
    expect(dir).toBe(join(dataDir, 'tagloom-index-snapshots'));
    let database = await openFolder(dataDir);
    const f = await buildRegionalCorp(database.db);
    const [a] = f.grade.tags.map((t) => t.tagId) as [string];
    const logs: Log = [];
    try {
      expect((await startAndStop(database, dir, f.corpId, logs)).path).toBe('missing');
      const file = snapshotFile(dir, f.corpId);
      expect(statSync(file).size).toBeGreaterThan(0);
      expect(readdirSync(dir)).toEqual([file.slice(dir.length + 1)]);
      // A change while no server runs, then a restart of the whole database.
      await markTags(f.ctx, { userid: f.people.shStaff, externalUserid: f.shCustomer, add: [a] });
    } finally {
      await database.close();
    }
    database = await openFolder(dataDir);
    try {
      const { path, index } = await startAndStop(database, dir, f.corpId, logs);
      expect(path).toBe('snapshot');
      expect(tagBitmap(index, a).size).toBe(1);
      expect(JSON.stringify(logs)).not.toContain(f.shCustomer);
      expect(await queryRows(database.db, sql`select corp_id from index_snapshots`)).toEqual([]);
    } finally {
      await database.close();
    }
  });

  it('builds afresh from a corrupt, truncated, foreign or other-format file, and the next save repairs it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tagloom-snapfile-'));
    folders.push(dataDir);
    const dir = snapshotFolderOf(dataDir)!;
    const database = await openFolder(dataDir);
    try {
      const f = await buildRegionalCorp(database.db);
      const other = await buildRegionalCorp(database.db);
      const store = fileSnapshotStore(database.db, dir);
      const file = snapshotFile(dir, f.corpId);
      const save = async (corpId = f.corpId, format = snapshotFormat) => store.write(captureIndex(await buildCorpIndex(database.db, corpId)), format);
      const expectPath = async (path: string) => {
        const restored = await restoreCorpIndex(database.db, f.corpId, { dir });
        expect(restored.path).toBe(path);
        expect(await indexSnapshot(database.db, restored.index)).toEqual(await sqlTruth(database.db, f.corpId));
      };

      await expectPath('missing');
      await save();
      await expectPath('snapshot');
      const good = readFileSync(file);

      // One byte flipped near the end of the body.
      const flipped = Buffer.from(good);
      flipped[flipped.length - 20] = (flipped[flipped.length - 20]! + 1) % 256;
      writeFileSync(file, flipped);
      await expectPath('corrupt');
      // Cut short: in the body, in the header, and before the header's length.
      for (const keep of [good.length - 1, 40, 5, 0]) {
        writeFileSync(file, good);
        truncateSync(file, keep);
        await expectPath('corrupt');
      }
      writeFileSync(file, 'not a snapshot file at all');
      await expectPath('corrupt');
      // Another corp's file put in this corp's place: its header names the other corp.
      await save(other.corpId);
      copyFileSync(snapshotFile(dir, other.corpId), file);
      await expectPath('corrupt');
      // Written by a version of another snapshot format.
      await save(f.corpId, snapshotFormat + 1);
      await expectPath('format');
      // The next save replaces whatever was there, also while another corp's is written at once,
      // leaving no temporary file behind.
      await Promise.all([save(), save(other.corpId), save(other.corpId)]);
      await expectPath('snapshot');
      expect((await restoreCorpIndex(database.db, other.corpId, { dir })).path).toBe('snapshot');
      expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
    } finally {
      await database.close();
    }
  });

  it('a file save supersedes a snapshot the table held from an earlier start without the folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tagloom-snapfile-'));
    folders.push(dataDir);
    const dir = snapshotFolderOf(dataDir)!;
    const database = await openFolder(dataDir);
    try {
      const f = await buildRegionalCorp(database.db);
      await writeSnapshot(database.db, captureIndex(await buildCorpIndex(database.db, f.corpId)), snapshotFormat);
      // A temporary file of a write a crash interrupted is swept at the first write.
      writeFileSync(`${snapshotFile(dir, f.corpId)}.tmp-1-abc`, 'half');
      const logs: Log = [];
      expect((await startAndStop(database, dir, f.corpId, logs)).path).toBe('missing');
      expect(await queryRows(database.db, sql`select corp_id from index_snapshots`)).toEqual([]);
      expect(readdirSync(dir)).toEqual([snapshotFile(dir, f.corpId).slice(dir.length + 1)]);
    } finally {
      await database.close();
    }
  });

  it('memory:// has no snapshot folder (its snapshots stay in the table)', () => {
    expect(snapshotFolderOf('memory://x')).toBeNull();
  });
});
