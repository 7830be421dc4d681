import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { withErrors } from '../../../contracts/errors.js';
import { messageLimits, PostMessagesBody, PostMessagesResult } from '../../../contracts/messages.js';
import { apiCtx } from '../../api/api-context.js';
import { withTx } from '../../context.js';
import { recordMessages } from './commands/record-messages.js';

// A full batch of the longest texts, all CJK (3 bytes each in UTF-8), with room for the other fields.
const messagesBodyLimit = messageLimits.batchMax * (messageLimits.textMax * 3 + 1024);

/**
 * Chat messages in, from a 会话存档 (chat archive) integration or the sidebar: matched against the
 * corp's keyword rules, then dropped. Needs `customerEvent.record`, as behaviour facts do.
 */
export const messageRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/messages',
    {
      bodyLimit: messagesBodyLimit,
      schema: {
        tags: ['Tagging rules'],
        summary: 'Match chat messages against keyword rules',
        description:
          `One message or up to ${messageLimits.batchMax}, all accepted or all refused. The text is not stored: each keyword of an enabled ` +
          'keyword rule it contains becomes a `message.keyword` fact (target: the keyword, so `event:message.keyword(target=预约)` counts it) ' +
          'and a message with any becomes one `message.matched` event for the rule engine. A message sent again with the same ' +
          '`idempotencyKey` is answered `duplicate: true` with the first time’s keywords. Unknown employees or customers refuse the ' +
          'batch with 400, naming `body.messages.N.userid` / `.externalUserid`.',
        body: PostMessagesBody,
        response: withErrors({ 200: PostMessagesResult }, 403),
      },
    },
    async (request) => withTx(apiCtx(request), (tx) => recordMessages(tx, request.body)),
  );
};
