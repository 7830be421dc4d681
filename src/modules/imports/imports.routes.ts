import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withErrors } from '../../../contracts/errors.js';
import { ExportQuery, ImportOutcome, ImportQuery, ImportReport } from '../../../contracts/imports.js';
import { apiCtx } from '../../api/api-context.js';
import { AppError } from '../../errors.js';
import { dryRunImport, importCustomers } from './commands/import-customers.js';
import { exportCustomersCsv } from './export/customers-csv.js';
import { exportRelationsCsv } from './export/relations-csv.js';
import { importWithProgress, wantsProgressStream } from './import-stream.js';

const tags = ['Imports'];

/** The largest CSV an import takes. */
export const importBodyLimit = 50 * 1024 * 1024;

const formatDoc =
  'The body is the CSV file itself (`Content-Type: text/csv` or `application/octet-stream`), UTF-8 with or without BOM, or GBK as Excel saves it in China. ' +
  'Header row: `external_userid, name, gender, province, city, corp_name, userid, add_time, tags` (any order; `userid` required). One row = one follow relation; `tags` is `group/tag;group/tag`.';

/** CSV import of customers with tags, and CSV export of customers. */
export const importRoutes: FastifyPluginAsyncZod = async (app) => {
  // Encapsulated in this plugin: elsewhere a CSV body stays unsupported (415).
  app.addContentTypeParser(['text/csv', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: importBodyLimit }, (_request, body, done) =>
    done(null, body),
  );

  app.post(
    '/imports',
    {
      bodyLimit: importBodyLimit,
      schema: {
        tags,
        summary: 'Import customers, follow relations and tags from CSV',
        description: `${formatDoc} With \`dryRun=true\`: a report of what would be written, or every problem by line and column (200), nothing written. Otherwise: one operation (undoable) in one transaction (201); any problem refuses the whole file (400, one detail per problem, \`path\` = \`line 7: tags\`). With \`Accept: text/event-stream\`, once writing starts the answer is a 200 stream of \`progress\` events (\`{ done, total }\`) ending with \`outcome\` (the 201's body, after the commit) or \`error\` (\`{ status, error }\`, nothing written). Needs \`customer.update\`, and \`tag.apply\` on the tags' groups.`,
        querystring: ImportQuery,
        consumes: ['text/csv', 'application/octet-stream'],
        response: withErrors({ 200: ImportReport, 201: ImportOutcome }, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body))
        throw new AppError('validation_failed', {
          message: 'Send the CSV file as the body with Content-Type: text/csv.',
          details: [{ path: 'body', message: 'not a CSV body' }],
        });
      const ctx = apiCtx(request);
      const opts = { fileName: request.query.fileName, createTags: request.query.createTags };
      if (request.query.dryRun) return reply.code(200).send(await dryRunImport(ctx, request.body, opts));
      if (!wantsProgressStream(request)) return reply.code(201).send(await importCustomers(ctx, request.body, opts));
      const body = request.body;
      return importWithProgress(request, reply, (onProgress) => importCustomers(ctx, body, { ...opts, onProgress }));
    },
  );

  app.get(
    '/customers/export',
    {
      schema: {
        tags,
        summary: 'Export customers with their tags as CSV',
        description:
          "Every customer the caller may see (data scope), in creation order, as `text/csv; charset=utf-8` with a UTF-8 BOM, streamed a page at a time: external_userid, name, gender, province, city, corp_name, followers, tags (`group/tag`, only the caller's visible tags; personal tags only the caller's own). With `layout=relations`, one row per follow relation in the caller's data scope, in the import file's columns, ready to import back. Needs `customer.export`.",
        querystring: ExportQuery,
        produces: ['text/csv'],
        response: withErrors({ 200: z.string() }, 403),
      },
    },
    async (request, reply) => {
      const ctx = apiCtx(request);
      const relations = request.query.layout === 'relations';
      const { chunks } = relations ? await exportRelationsCsv(ctx) : await exportCustomersCsv(ctx);
      const name = `${relations ? 'relations' : 'customers'}-${ctx.corpId}-${new Date().toISOString().slice(0, 10)}.csv`;
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`);
      return reply.send(Readable.from(chunks, { objectMode: false }) as unknown as string);
    },
  );
};
