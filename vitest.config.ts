import { defineConfig } from 'vitest/config';

/** Tests sit next to the code; `*.db.test.ts` files run on PGlite and on PostgreSQL. */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
