import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { maxTransferCustomers, type TransferCustomersBody, type TransferItem, type TransferResultDto } from '../../../contracts/customer-transfer.js';
import { api, errorText } from './client.js';

/** One customer's outcome of a hand-over: moved, merged into the takeover's relation, or why not. */
export type TransferItemDto = z.infer<typeof TransferItem>;
/** A hand-over as the console asks it: any number of customers (sent in calls of at most 100). */
export type TransferRequest = z.input<typeof TransferCustomersBody>;

/**
 * A whole hand-over's outcome over all its calls: every customer's result, the operations that
 * recorded it, and, when a call was refused part-way, the server's message and how many customers
 * were not sent because of it.
 */
export type TransferOutcome = { results: TransferItemDto[]; operationIds: string[]; refused: string | null; notSent: number };

/** `items` cut into runs of at most `size`, in order. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const runs: T[][] = [];
  for (let i = 0; i < items.length; i += size) runs.push(items.slice(i, i + size));
  return runs;
}

/**
 * `POST /customers/transfer` for any number of customers: the server takes 100 a call, so a bigger
 * hand-over goes in calls of 100, one after another, reporting progress after each. A refusal of
 * the first call is thrown (nothing moved); a later one stops there and is reported with what had
 * already moved, since those customers are with the takeover already.
 */
export function useTransferCustomers() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ request, onProgress }: { request: TransferRequest; onProgress?: (done: number, total: number) => void }): Promise<TransferOutcome> => {
      const total = request.externalUserids.length;
      const outcome: TransferOutcome = { results: [], operationIds: [], refused: null, notSent: 0 };
      let sent = 0;
      for (const externalUserids of chunked(request.externalUserids, maxTransferCustomers)) {
        try {
          const answer = await api<TransferResultDto>('POST', '/customers/transfer', { ...request, externalUserids });
          outcome.results.push(...answer.results);
          outcome.operationIds.push(answer.operationId);
        } catch (error) {
          if (sent === 0) throw error;
          return { ...outcome, refused: errorText(error), notSent: total - sent };
        }
        sent += externalUserids.length;
        onProgress?.(sent, total);
      }
      return outcome;
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['customer-list'] });
      void client.invalidateQueries({ queryKey: ['customer'] });
    },
  });
}
