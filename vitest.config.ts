import { defineConfig } from 'vitest/config';

/**
 * Tests sit next to the code; `*.db.test.ts` files run on PGlite and on PostgreSQL. The console's
 * browser flows (`web/e2e/*.e2e.ts`) drive Debian's Chromium against a real server.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'web/**/*.test.ts', 'web/e2e/**/*.e2e.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One migrated PGlite dump and one PostgreSQL template per run; test databases start as copies.
    globalSetup: ['src/test/global-setup.ts'],
  },
});
