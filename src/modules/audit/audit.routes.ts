import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AuditExportQuery, AuditPage, AuditQuery } from '../../../contracts/audit.js';
import { withErrors } from '../../../contracts/errors.js';
import { apiCtx } from '../../api/api-context.js';
import { actorNames } from '../org/employee-names.js';
import { auditCsvChunks, exportPageSize } from './audit.csv.js';
import { presentAuditPage } from './audit.presenter.js';
import { pageAuditEvents } from './audit.queries.js';

const tags = ['Audit'];

const filtersDoc =
  'Filters combine: `actor` (`user:zhangsan`, `app:customer_contact`), `customer` (external_userid), `tag` (tag id), `type` (event types), `operationId`, `from`/`to` (ISO instants). ' +
  'Personal-tag details (names, ids) show only to their owner; elsewhere they are left out and the event is flagged `redacted`. Requires `audit.view`; ' +
  'a reader whose data scope is not the whole corp (a manager) sees the events about what it reaches (relations, customers and employees, the tag groups they see) and what they did themselves.';

/**
 * The audit log over REST: every recorded event with actor, source, subject, before/after and
 * reason, filtered and keyset-paged, or exported as a streamed CSV that Excel opens as UTF-8.
 */
export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit',
    {
      schema: {
        tags,
        summary: 'Read the audit log',
        description: `Newest first, \`limit\` (≤ 500) at a time; pass \`nextCursor\` back as \`cursor\`. ${filtersDoc}`,
        querystring: AuditQuery,
        response: withErrors({ 200: AuditPage }, 403),
      },
    },
    async (request) => {
      const { cursor, limit, ...filters } = request.query;
      const ctx = apiCtx(request);
      const page = await pageAuditEvents(ctx, filters, { cursor, limit });
      return presentAuditPage(
        page,
        await actorNames(
          ctx,
          page.entries.map((e) => e.actor),
        ),
      );
    },
  );

  app.get(
    '/audit/export',
    {
      schema: {
        tags,
        summary: 'Export the audit log as CSV',
        description: `The same filters as \`GET /audit\`; every matching event, newest first, as \`text/csv; charset=utf-8\` with a UTF-8 BOM. The body is streamed page by page. ${filtersDoc}`,
        querystring: AuditExportQuery,
        produces: ['text/csv'],
        response: withErrors(
          {
            200: z.string().meta({
              description: 'CSV: seq, at, type, actor, source, subject_type, subject_id, reason, operation_id, request_id, redacted, before, after, payload.',
            }),
          },
          403,
        ),
      },
    },
    async (request, reply) => {
      const ctx = apiCtx(request);
      // The first page is read before any byte is sent, so a refusal (403, bad cursor…) still
      // answers with a JSON error and a proper status instead of a broken download.
      const first = await pageAuditEvents(ctx, request.query, { limit: exportPageSize });
      const day = new Date().toISOString().slice(0, 10);
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="audit-${ctx.corpId}-${day}.csv"`);
      // A stream is sent as is (no serializer); the route's 200 schema only documents it.
      return reply.send(Readable.from(auditCsvChunks(ctx, request.query, first), { objectMode: false }) as unknown as string);
    },
  );
};
