import { z } from 'zod';
import { secretKeyBytes } from './modules/connector/secret-box.js';

const schema = z.object({
  // 0: any free port (the server prints the one it got); tests start servers side by side this way.
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  TAGLOOM_DATA_DIR: z.string().min(1).default('./data'),
  TAGLOOM_DEMO_SECRET: z.string().min(8).optional(),
  // Behind a reverse proxy: `true`, a hop count, or the proxies' addresses (Fastify's trustProxy), so
  // login rate limits count the client's address rather than the proxy's.
  TAGLOOM_TRUST_PROXY: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === 'false' ? false : v === 'true' ? true : /^\d+$/.test(v) ? Number(v) : v)),
  // The platform operator's key for /api/v1/platform (opening corps); unset = those routes do not exist.
  TAGLOOM_PLATFORM_KEY: z.string().min(32, 'at least 32 characters').optional(),
  // 32 bytes (64 hex digits or base64) sealing the WeCom secrets at rest (AES-256-GCM). Unset: the
  // connector cannot be configured. Never stored, never logged; losing it means re-entering secrets.
  TAGLOOM_SECRET_KEY: z
    .string()
    .optional()
    .refine((v) => v === undefined || secretKeyBytes(v) !== null, '32 bytes, as 64 hex digits or base64'),
  // Outbound webhooks may target private / loopback addresses (an intranet CRM); off by default (SSRF).
  TAGLOOM_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The server's configuration, read from the environment once and frozen. */
export type Env = Readonly<z.infer<typeof schema>>;

/**
 * Parses the environment; a bad value stops start-up with every problem listed, rather than
 * failing later in some request.
 */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Bad configuration:\n${lines}`);
  }
  return Object.freeze(parsed.data);
}
