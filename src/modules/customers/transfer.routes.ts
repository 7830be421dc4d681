import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { TransferCustomersBody, TransferResult } from '../../../contracts/customer-transfer.js';
import { withErrors } from '../../../contracts/errors.js';
import { apiCtx } from '../../api/api-context.js';
import { withTx } from '../../context.js';
import { transferCustomers } from './commands/transfer-customers.js';
import { presentTransferResult } from './transfer.presenter.js';

const tags = ['Customers'];

/**
 * Customer hand-over (在职继承 / 离职继承): follow relations and their enterprise tags move to
 * another employee at once; personal tags stay with the employee who made them.
 */
export const transferRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/customers/transfer',
    {
      schema: {
        tags,
        summary: 'Hand customers over to another employee',
        description:
          'Each customer moves completely or not at all, and the answer lists every one: `errcode` 0 when moved, 40096 for an unknown customer, 84061 when the handover does not follow it. ' +
          'When the takeover already follows a customer, their relation is kept and the enterprise tags merged into it without duplicates. Unknown or departed employees refuse the whole request. Requires `customer.transfer` over both employees.',
        body: TransferCustomersBody,
        response: withErrors({ 200: TransferResult }, 403, 404, 409),
      },
    },
    async (request) => {
      return presentTransferResult(await withTx(apiCtx(request), (tx) => transferCustomers(tx, request.body)));
    },
  );
};
