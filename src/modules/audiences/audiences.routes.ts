import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Expr } from '../../../contracts/audience-expression/ast.js';
import {
  AudienceCount,
  AudienceCustomerPage,
  AudienceCustomersBody,
  AudienceExplanation,
  AudienceParams,
  AudienceQueryBody,
  CreateAudienceBody,
  ExplainBody,
  SavedAudience,
  SavedAudienceList,
  UpdateAudienceBody,
} from '../../../contracts/audiences.js';
import { withErrors } from '../../../contracts/errors.js';
import { apiCtx } from '../../api/api-context.js';
import { type Ctx, withTx } from '../../context.js';
import { policyFor } from '../../policies/index.js';
import { printExpression } from './expression/print.js';
import { count, sample } from './index/bitmaps.js';
import { type AudienceRow, createAudience, deleteAudience, getAudience, listAudiences, updateAudience } from './saved/saved-audiences.js';
import { type AudienceCatalog, catalogLabels, loadCatalog } from './service/catalog.js';
import { customersBySeq } from './service/customer-rows.js';
import type { AudienceEngine } from './service/engine.js';
import { audienceBitmap, countIn, membersIn, reachBitmap } from './service/evaluate-audience.js';
import { explainFor } from './service/explain-customer.js';
import { audienceCsvChunks } from './service/export-csv.js';
import { listAudienceCustomers } from './service/list-customers.js';
import { readExpression } from './service/read-expression.js';

const tags = ['Audiences'];

/**
 * Audiences: count (with a sample) and explain answered from the in-memory index, CSV export, and
 * saved audiences with their current size. Every count is within the caller's data scope.
 */
export const audienceRoutes: FastifyPluginAsyncZod<{ engine: AudienceEngine }> = async (app, { engine }) => {
  // Sizes come from one refresh of the index for the whole list, not one per audience.
  const presentAll = async (ctx: Ctx, catalog: AudienceCatalog, rows: AudienceRow[]) => {
    const index = await engine.current(ctx.corpId);
    const labels = catalogLabels(catalog);
    return rows.map((row) => {
      const size = countIn(index, catalog, row.expression as Expr);
      return {
        ...row,
        expression: row.expression,
        text: printExpression(row.expression as Expr, labels),
        size,
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      };
    });
  };
  const present = async (ctx: Ctx, catalog: AudienceCatalog, row: AudienceRow) => (await presentAll(ctx, catalog, [row]))[0]!;

  app.post(
    '/audiences/count',
    {
      schema: {
        tags,
        summary: 'Count an audience',
        description:
          'How many customers (of those the caller may see) match, with an evenly spread sample. Answered from the in-memory index, which first takes in every change committed before the request.',
        body: AudienceQueryBody,
        response: withErrors({ 200: AudienceCount }, 403, 404),
      },
    },
    async (request) => {
      const started = performance.now();
      const ctx = apiCtx(request);
      (await policyFor(ctx)).authorize('customer.view');
      const catalog = await loadCatalog(ctx);
      const expr = readExpression(request.body, catalog);
      const sampleSize = request.body.sampleSize ?? 10;
      const index = await engine.current(ctx.corpId);
      const visible = reachBitmap(index, catalog);
      // The editor's live count asks for no sample: counted without building the audience's set.
      const members = sampleSize > 0 ? membersIn(index, catalog, expr) : null;
      const rows = members ? await customersBySeq(ctx, sample(members, sampleSize)) : [];
      return {
        count: members ? count(members) : countIn(index, catalog, expr),
        total: count(visible ?? index.universe),
        sample: rows.map((r) => ({ externalUserid: r.externalUserid, name: r.name, followers: r.followers })),
        text: printExpression(expr, catalogLabels(catalog)),
        elapsedMs: Math.round((performance.now() - started) * 100) / 100,
      };
    },
  );

  app.post(
    '/audiences/customers',
    {
      schema: {
        tags,
        summary: 'List the customers of an audience',
        description:
          'A page (`limit` ≤ 1000, in creation order; pass `nextCursor` back as `cursor`) of the customers the audience selects within the caller’s data scope — everyone they may see when neither `expression` nor `text` is given — optionally only those whose name contains `q`. Each with its followers and the tags the caller may see; `count` is how many match in all.',
        body: AudienceCustomersBody,
        response: withErrors({ 200: AudienceCustomerPage }, 403, 404),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      (await policyFor(ctx)).authorize('customer.view');
      return listAudienceCustomers(engine, ctx, await loadCatalog(ctx), request.body);
    },
  );

  app.post(
    '/audiences/explain',
    {
      schema: {
        tags,
        summary: 'Explain an audience for one customer',
        description: 'Which clauses held and which failed for this customer, with the evidence (which relation carries a tag, the add time, the event count…).',
        body: ExplainBody,
        response: withErrors({ 200: AudienceExplanation }, 403, 404),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      // An explanation shows a customer's tags, add times and events: it is reading the customer.
      (await policyFor(ctx)).authorize('customer.view');
      const catalog = await loadCatalog(ctx);
      const expr = readExpression(request.body, catalog);
      const explanation = await explainFor(ctx, catalog, expr, request.body.externalUserid);
      return { externalUserid: request.body.externalUserid, held: explanation.held, explanation, text: printExpression(expr, catalogLabels(catalog)) };
    },
  );

  app.post(
    '/audiences/export',
    {
      schema: {
        tags,
        summary: 'Export an audience as CSV',
        description:
          "Every matched customer the caller may see, as `text/csv; charset=utf-8` with a UTF-8 BOM, streamed: external_userid, name, gender, province, city, corp_name, followers, tags (the caller's visible tags).",
        body: AudienceQueryBody,
        produces: ['text/csv'],
        response: withErrors({ 200: z.string() }, 403, 404),
      },
    },
    async (request, reply) => {
      const ctx = apiCtx(request);
      (await policyFor(ctx)).authorize('customer.export');
      const catalog = await loadCatalog(ctx);
      const expr = readExpression(request.body, catalog);
      const { members } = await audienceBitmap(engine, ctx, catalog, expr);
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audience-${new Date().toISOString().slice(0, 10)}.csv"`);
      return reply.send(Readable.from(audienceCsvChunks(ctx, catalog, members), { objectMode: false }) as unknown as string);
    },
  );

  app.get(
    '/audiences',
    {
      schema: {
        tags,
        summary: 'List saved audiences',
        description:
          "Shared audiences and the caller's private ones (those using their personal tags), each with its current size within the caller's data scope.",
        response: withErrors({ 200: SavedAudienceList }, 403),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      const rows = await listAudiences(ctx);
      return { audiences: await presentAll(ctx, await loadCatalog(ctx), rows) };
    },
  );

  app.post(
    '/audiences',
    {
      schema: { tags, summary: 'Save an audience', body: CreateAudienceBody, response: withErrors({ 201: SavedAudience }, 403, 404, 409) },
    },
    async (request, reply) => {
      const ctx = apiCtx(request);
      const row = await withTx(ctx, (tx) => createAudience(tx, request.body));
      return reply.code(201).send(await present(ctx, await loadCatalog(ctx), row));
    },
  );

  app.get(
    '/audiences/:audienceId',
    {
      schema: { tags, summary: 'Get a saved audience with its current size', params: AudienceParams, response: withErrors({ 200: SavedAudience }, 403, 404) },
    },
    async (request) => {
      const ctx = apiCtx(request);
      return present(ctx, await loadCatalog(ctx), await getAudience(ctx, request.params.audienceId));
    },
  );

  app.patch(
    '/audiences/:audienceId',
    {
      schema: {
        tags,
        summary: 'Edit a saved audience',
        params: AudienceParams,
        body: UpdateAudienceBody,
        response: withErrors({ 200: SavedAudience }, 403, 404, 409),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      const row = await withTx(ctx, (tx) => updateAudience(tx, request.params.audienceId, request.body));
      return present(ctx, await loadCatalog(ctx), row);
    },
  );

  app.delete(
    '/audiences/:audienceId',
    {
      schema: { tags, summary: 'Delete a saved audience', params: AudienceParams, response: withErrors({ 204: z.null() }, 403, 404) },
    },
    async (request, reply) => {
      await withTx(apiCtx(request), (tx) => deleteAudience(tx, request.params.audienceId));
      return reply.code(204).send(null);
    },
  );
};
