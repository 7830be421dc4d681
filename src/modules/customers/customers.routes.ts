import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CustomerDetail,
  CustomerPage,
  CustomerParams,
  Follow,
  FollowParams,
  ListCustomersQuery,
  MarkTagsBody,
  MarkTagsResult,
  RemarkFollowBody,
} from '../../../contracts/customers.js';
import { withErrors } from '../../../contracts/errors.js';
import { apiCtx } from '../../api/api-context.js';
import { withTx } from '../../context.js';
import { policyFor } from '../../policies/index.js';
import { markTags } from './commands/mark-tags.js';
import { remarkFollow } from './commands/remark-follow.js';
import { presentCustomerDetail, presentCustomerPage, presentFollow, presentMarkResult } from './customers.presenter.js';
import { getCustomerDetail, nativeVisibility, pageCustomers } from './customers.queries.js';

const tags = ['Customers'];

/**
 * Customers (external contacts), their follow relations, and tagging one relation. Personal tags
 * appear only to their owner acting through `Tagloom-Acting-User`.
 */
export const customerRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/customers',
    {
      schema: {
        tags,
        summary: 'List customers',
        description: 'In creation order, `limit` (≤ 1000) at a time; pass `nextCursor` back as `cursor` for the next page.',
        querystring: ListCustomersQuery,
        response: withErrors({ 200: CustomerPage }, 403, 404),
      },
    },
    async (request) => {
      return presentCustomerPage(await pageCustomers(apiCtx(request), request.query));
    },
  );

  app.get(
    '/customers/:externalUserid',
    {
      schema: {
        tags,
        summary: 'Get a customer with its follow relations and tags',
        description: 'Personal tags are shown only to their owner (acting as an employee); an app alone sees none.',
        params: CustomerParams,
        response: withErrors({ 200: CustomerDetail }, 404),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      return presentCustomerDetail(await getCustomerDetail(ctx, request.params.externalUserid, nativeVisibility(ctx.actor)), await policyFor(ctx));
    },
  );

  app.post(
    '/customers/:externalUserid/follows/:userid/tags',
    {
      schema: {
        tags,
        summary: 'Tag and untag one follow relation',
        description: "Enterprise tags, or the acting employee's own personal tags on their own relation. One unknown id refuses the whole request.",
        params: FollowParams,
        body: MarkTagsBody,
        response: withErrors({ 200: MarkTagsResult }, 403, 404),
      },
    },
    async (request) => {
      const { externalUserid, userid } = request.params;
      // markTags is its own atomic statement; no surrounding transaction needed.
      return presentMarkResult(await markTags(apiCtx(request), { externalUserid, userid, add: request.body.add, remove: request.body.remove }));
    },
  );

  app.patch(
    '/customers/:externalUserid/follows/:userid',
    {
      schema: {
        tags,
        summary: "Edit the employee's notes on a customer",
        params: FollowParams,
        body: RemarkFollowBody,
        response: withErrors({ 200: Follow }, 403, 404),
      },
    },
    async (request) => {
      const { externalUserid, userid } = request.params;
      return presentFollow(await withTx(apiCtx(request), (tx) => remarkFollow(tx, { externalUserid, userid, ...request.body })));
    },
  );
};
