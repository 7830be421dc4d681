import { defineConfig } from 'vitest/config';

/**
 * Tests sit next to the code; `*.db.test.ts` files run on PGlite and on PostgreSQL. The console's
 * browser flows (`web/e2e/*.e2e.ts`) drive Debian's Chromium against a real server.
 *
 * Most files share a worker's module cache (`isolate: false`): importing the app graph costs
 * seconds per file otherwise. Files that seed the demo corp `ww-demo` (whose id repeats across
 * files and would meet another file's entries in the in-process caches keyed by corp), start
 * servers and browsers, or watch connections and processes, keep a fresh process each.
 */
// The console's browser flows: a real server and Chromium each, one file at a time (below).
const browser = ['web/e2e/**/*.e2e.ts'];

const isolated = [
  'src/server*.test.ts',
  'src/readme.db.test.ts',
  'src/cli*.test.ts',
  'src/demo/**/*.test.ts',
  'src/db/connection-loss.db.test.ts',
  'src/test/three-processes.db.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: PostgreSQL and Chromium work in processes of their own, so two workers keep both busy.
    maxWorkers: 2,
    // One migrated PGlite dump and one PostgreSQL template per run; test databases start as copies.
    globalSetup: ['src/test/global-setup.ts'],
    setupFiles: ['src/test/setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'shared', include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'web/**/*.test.ts'], exclude: [...isolated, ...browser], isolate: false },
      },
      { extends: true, test: { name: 'isolated', include: isolated, isolate: true } },
      // One browser file at a time. Vitest runs a project with `maxWorkers: 1` after every other
      // file has finished, so these run last and alone: a browser file with its server keeps about
      // 1.7 of the two cores busy by itself. Two at a time doubled each browser test's time (nearer
      // its timeouts) and saved 64 s of 1,304 in a full run, so they stay one at a time.
      { extends: true, test: { name: 'browser', include: browser, isolate: true, maxWorkers: 1 } },
    ],
  },
});
