import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { signingSchemeDescription, webhooksTag } from '../modules/webhooks/openapi.js';
import { webhooksOutDescription, webhooksOutTag } from '../modules/webhooks-out/openapi.js';
import { wecomTag, wecomTagDescription } from '../wecom/wecom.openapi.js';
import { addOperationIds } from './operation-ids.js';

// The probes hide themselves from the routes' schemas (they are not API); the document still lists them.
const probes: Record<string, Record<string, unknown>> = {
  '/healthz': {
    tags: ['Probes'],
    summary: 'Liveness: 200 while the process is up',
    security: [],
    response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } },
  },
  '/readyz': {
    tags: ['Probes'],
    summary: "Readiness: 200 once every corp's audience index is built, 503 before",
    security: [],
    response: {
      200: { type: 'object', properties: { ready: { type: 'boolean' }, warmingCorps: { type: 'integer' } } },
      503: { type: 'object', properties: { ready: { type: 'boolean' }, warmingCorps: { type: 'integer' } } },
    },
  },
};

/**
 * OpenAPI for both surfaces, generated from the routes' zod schemas, with Swagger UI at `/docs` and
 * the JSON document at `/docs/json`: the native API under its resource tags, the WeCom-compatible
 * `/cgi-bin` surface under its own tag (described, not validated, by its schemas), every operation
 * with a stable operationId (see operation-ids.ts).
 */
export const swaggerPlugin = fp(
  async (app) => {
    await app.register(fastifySwagger, {
      openapi: {
        info: {
          title: 'Tagloom API',
          version: '1',
          description:
            "Customer tags for WeCom corps. The native API (`/api/v1`): authenticate with `Authorization: Bearer <app secret>`; add `Tagloom-Acting-User: <userid>` to act as one of the corp's employees (needed for personal tags). Errors answer `{ error: { code, message, details, requestId } }`, every validation issue listed. The WeCom-compatible API (`/cgi-bin`) answers as WeCom does: see its tag.",
        },
        tags: [
          { name: wecomTag, description: wecomTagDescription },
          { name: 'Probes', description: 'Health and readiness for load balancers and orchestrators; no credentials.' },
          { name: webhooksTag, description: signingSchemeDescription },
          { name: webhooksOutTag, description: webhooksOutDescription },
        ],
        // Apps send their secret as a Bearer key; the console sends the session cookie from /auth/login;
        // WeCom clients send the token from gettoken as a query parameter.
        components: {
          securitySchemes: {
            apiKey: { type: 'http', scheme: 'bearer' },
            sessionCookie: { type: 'apiKey', in: 'cookie', name: 'tagloom_session' },
            accessToken: { type: 'apiKey', in: 'query', name: 'access_token' },
            platformKey: { type: 'http', scheme: 'bearer', description: "TAGLOOM_PLATFORM_KEY, for the platform operator's routes only." },
          },
        },
        security: [{ apiKey: [] }, { sessionCookie: [] }],
      },
      transform: (args) => {
        const probe = probes[args.url];
        if (probe) return { schema: probe, url: args.url };
        // WeCom routes describe their body under `documentedBody` (see wecomSchema).
        const { documentedBody, ...schema } = (args.schema ?? {}) as Record<string, unknown>;
        return jsonSchemaTransform(documentedBody ? { ...args, schema: { ...schema, body: documentedBody } } : args);
      },
      transformObject: (document) => ('openapiObject' in document ? addOperationIds(document.openapiObject) : document.swaggerObject),
    });
    await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  },
  { name: 'swagger' },
);
