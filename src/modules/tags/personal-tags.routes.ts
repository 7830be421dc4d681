import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { withErrors } from '../../../contracts/errors.js';
import { CreatePersonalTagBody, PersonalTag, PersonalTagDeleted, PersonalTagList, RenamePersonalTagBody, TagIdParams } from '../../../contracts/tags.js';
import { apiCtx } from '../../api/api-context.js';
import { withTx } from '../../context.js';
import { createPersonalTag, deletePersonalTag, renamePersonalTag } from './commands/personal-tags.js';
import { presentPersonalTag, presentPersonalTagDeletion, presentPersonalTagList } from './tags.presenter.js';
import { listMyPersonalTags } from './tags.queries.js';

const tags = ['Personal tags'];
const description =
  "Act as the owner with `Tagloom-Acting-User: <userid>`; an app alone is refused (403). Another employee's personal tag is reported as not found.";

/** An employee's own private tags. Nobody else can list, read, rename, delete or apply them. */
export const personalTagRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/personal-tags',
    {
      schema: { tags, summary: 'List my personal tags', description, response: withErrors({ 200: PersonalTagList }, 403) },
    },
    async (request) => {
      return presentPersonalTagList(await listMyPersonalTags(apiCtx(request)));
    },
  );

  app.post(
    '/personal-tags',
    {
      schema: { tags, summary: 'Create a personal tag', description, body: CreatePersonalTagBody, response: withErrors({ 201: PersonalTag }, 403, 409) },
    },
    async (request, reply) => {
      const created = await withTx(apiCtx(request), (tx) => createPersonalTag(tx, request.body));
      return reply.code(201).send(presentPersonalTag(created));
    },
  );

  app.patch(
    '/personal-tags/:tagId',
    {
      schema: {
        tags,
        summary: 'Rename a personal tag',
        description,
        params: TagIdParams,
        body: RenamePersonalTagBody,
        response: withErrors({ 200: PersonalTag }, 403, 404, 409),
      },
    },
    async (request) => {
      return presentPersonalTag(await withTx(apiCtx(request), (tx) => renamePersonalTag(tx, { tagId: request.params.tagId, name: request.body.name })));
    },
  );

  app.delete(
    '/personal-tags/:tagId',
    {
      schema: {
        tags,
        summary: 'Delete a personal tag',
        description: `${description} Takes it off the owner's customers.`,
        params: TagIdParams,
        response: withErrors({ 200: PersonalTagDeleted }, 403, 404),
      },
    },
    async (request) => {
      return presentPersonalTagDeletion(await withTx(apiCtx(request), (tx) => deletePersonalTag(tx, { tagId: request.params.tagId })));
    },
  );
};
