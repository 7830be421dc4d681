import { fileURLToPath } from 'node:url';

const viteConfig = fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url));

/**
 * Builds the console and the sidebar into `outDir` as users get them: React's and antd's production
 * code whatever NODE_ENV the building process runs with. Vite and its React plugin take their
 * production switch from NODE_ENV, so a build inside vitest (NODE_ENV=test) or under a server
 * started with NODE_ENV=development otherwise ships the development bundle: about 40 % more
 * code per page, JSX source records and React's development checks on every render.
 */
export async function buildConsoleBundle(outDir: string): Promise<void> {
  const vite = await import('vite');
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await vite.build({ configFile: viteConfig, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}
