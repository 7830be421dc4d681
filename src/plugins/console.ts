import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { buildConsoleBundle } from './build-console.js';

/** Where `npm run build` puts the console and the sidebar (`web/dist`). */
export const consoleDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

// Paths the API surfaces own: an unknown one there is their 404, never the console's page.
const apiPaths = /^\/(api|cgi-bin|docs)(\/|$)/;

// The console's pages run only their own bundled scripts; antd injects its styles at run time.
const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'self'";

function sendPage(reply: FastifyReply, file: 'index.html' | 'sidebar.html') {
  // The WeCom chat sidebar shows /sidebar in WeCom's own web view; the console is never framed.
  const frameAncestors = file === 'sidebar.html' ? contentSecurityPolicy : contentSecurityPolicy.replace("frame-ancestors 'self'", "frame-ancestors 'none'");
  return reply
    .header('cache-control', 'no-cache')
    .header('content-security-policy', frameAncestors)
    .header('x-content-type-options', 'nosniff')
    .sendFile(file, { cacheControl: false });
}

/**
 * Serves the built console at `/` and the employee sidebar at `/sidebar` (one process, one origin,
 * so the session cookie stays SameSite=Strict). Hashed assets are cached for good; pages are not.
 * Any other GET that a browser sends for a page (a console route such as /tags) gets the console,
 * which routes on the client; the API surfaces keep their own 404s.
 */
export async function consolePlugin(app: FastifyInstance, opts: { dir: string }): Promise<void> {
  await app.register(fastifyStatic, {
    root: opts.dir,
    prefix: '/',
    index: false,
    wildcard: false,
    schemaHide: true,
    setHeaders: (res, path) => {
      if (path.includes(`${join('/', 'assets')}/`)) res.header('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  app.get('/', { schema: { hide: true } }, (_request, reply) => sendPage(reply, 'index.html'));
  app.get('/sidebar', { schema: { hide: true } }, (_request, reply) => sendPage(reply, 'sidebar.html'));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const wantsPage =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !apiPaths.test(path) &&
      !path.startsWith('/assets/') &&
      /text\/html/.test(request.headers.accept ?? '');
    if (wantsPage) return sendPage(reply, 'index.html');
    return reply.code(404).send({ error: { code: 'not_found', message: `No route ${request.method} ${path}.`, requestId: request.id } });
  });
}

/** Whether a built console is there to serve. */
export function consoleBuilt(dir = consoleDist): boolean {
  return existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'sidebar.html'));
}

/**
 * Builds the console with Vite when it has not been built yet (a fresh clone's first `npm start`),
 * so the two commands of the README are all a new user needs. Answers the folder to serve, or null
 * (with the reason logged) when it cannot be built, in which case the API is served alone.
 */
export async function ensureConsoleBuilt(log: (line: string) => void, dir = consoleDist): Promise<string | null> {
  if (consoleBuilt(dir)) return dir;
  log('Building the web console (first start; `npm run build` rebuilds it)…');
  // Built beside the target and renamed into place, so two servers starting at once (or a reader)
  // never see half a build: the first rename wins, a later one finds the folder there and stops.
  const staging = `${dir}.build-${process.pid}-${Date.now()}`;
  try {
    await buildConsoleBundle(staging);
    try {
      renameSync(staging, dir);
    } catch (error) {
      if (!consoleBuilt(dir)) throw error;
    }
  } catch (error) {
    log(
      `The web console could not be built (${error instanceof Error ? error.message : String(error)}); serving the API only. Run \`npm run build\` to see why.`,
    );
    return null;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return consoleBuilt(dir) ? dir : null;
}
