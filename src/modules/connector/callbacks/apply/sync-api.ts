import type { TxCtx } from '../../../../context.js';
import type { WecomClient } from '../../wecom-client.js';

/**
 * The pull's sync commands this module applies callbacks with (src/modules/connector/sync/),
 * behind one seam so the callback path reads the same whichever way they are wired.
 */
export type SyncApi = {
  /** Re-reads the tag library (corp tags, and strategy tags when `strategyId`) from WeCom. */
  readTagLibrary(client: WecomClient, strategyId: number | null): Promise<unknown>;
  /** Applies a library read by `readTagLibrary` in full. */
  applyTagLibrary(ctx: TxCtx, library: unknown): Promise<void>;
  /** Reads one customer (`externalcontact/get`). */
  readCustomer(client: WecomClient, externalUserid: string): Promise<unknown>;
  /** Applies a customer read by `readCustomer` in full. */
  applyCustomer(ctx: TxCtx, remote: unknown): Promise<void>;
  /** Removes one follow (the customer stays). */
  removeFollow(ctx: TxCtx, userid: string, externalUserid: string): Promise<void>;
};

const notReady = async (): Promise<never> => {
  throw new Error('the sync commands are not wired yet');
};

/** The wiring in use; replaced when the pull's sync commands are merged. */
export const syncApi: SyncApi = {
  readTagLibrary: notReady,
  applyTagLibrary: notReady,
  readCustomer: notReady,
  applyCustomer: notReady,
  removeFollow: notReady,
};
