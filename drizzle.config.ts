import { defineConfig } from 'drizzle-kit';

/** drizzle-kit reads the schema modules and writes SQL migrations to src/db/migrations. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './src/db/migrations',
});
