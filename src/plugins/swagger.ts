import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/**
 * OpenAPI for the native API, generated from the routes' zod schemas, with Swagger UI at `/docs`
 * and the JSON document at `/docs/json`. The WeCom surface is documented by wecom-api.md instead.
 */
export const swaggerPlugin = fp(
  async (app) => {
    await app.register(fastifySwagger, {
      openapi: {
        info: { title: 'Tagloom native API', version: '1', description: 'Customer tags for WeCom corps. Authenticate with `Authorization: Bearer <app secret>`; add `Tagloom-Acting-User: <userid>` to act as one of the corp\'s employees (needed for personal tags). Errors answer `{ error: { code, message, details, requestId } }`, every validation issue listed.' },
        // Apps send their secret as a Bearer key; the console sends the session cookie from /auth/login.
        components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' }, sessionCookie: { type: 'apiKey', in: 'cookie', name: 'tagloom_session' }, platformKey: { type: 'http', scheme: 'bearer', description: 'TAGLOOM_PLATFORM_KEY, for the platform operator\'s routes only.' } } },
        security: [{ apiKey: [] }, { sessionCookie: [] }],
      },
      // Only the native API is described here; the WeCom surface follows WeCom's own documentation.
      transform: (args) => (args.url.startsWith('/api/v1') ? jsonSchemaTransform(args) : { schema: { ...args.schema, hide: true }, url: args.url }),
    });
    await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  },
  { name: 'swagger' },
);
