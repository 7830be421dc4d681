// What src/test/global-setup.ts hands the test workers (`inject`). Imported for its types.
declare module 'vitest' {
  export interface ProvidedContext {
    /** A `dumpDataDir` tarball of a migrated PGlite, for in-memory test databases to start from. */
    pgliteTemplate: string;
    /** A migrated database on the TEST_DATABASE_URL server to clone per test database ('' without one). */
    postgresTemplate: string;
    /** A folder for this run only (removed at its end): the console bundle the browser tests share is built there. */
    testRunDir: string;
  }
}

export {};
