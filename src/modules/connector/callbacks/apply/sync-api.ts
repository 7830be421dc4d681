import type { TxCtx } from '../../../../context.js';
import {
  applyRemoteCustomer,
  applyRemoteStrategyLibrary,
  applyRemoteTagLibrary,
  type RemoteCustomer,
  type RemoteFollow,
  type RemoteTagGroup,
  removeRemoteFollow,
} from '../../sync/index.js';
import type { WecomClient } from '../../wecom-client.js';

/** The most follow_user pages one customer is read in (500 each); a guard against a cursor that never ends. */
const maxFollowPages = 20;

/** Reads the corp tag library as WeCom holds it now (`get_corp_tag_list`, every group). */
export async function readTagLibrary(client: WecomClient): Promise<RemoteTagGroup[]> {
  const answer = await client.call('externalcontact/get_corp_tag_list', {});
  return Array.isArray(answer.tag_group) ? (answer.tag_group as RemoteTagGroup[]) : [];
}

/** Applies a full library read: WeCom's callback names no tag, so the whole library is the truth. */
export async function applyTagLibrary(ctx: TxCtx, groups: RemoteTagGroup[]): Promise<void> {
  await applyRemoteTagLibrary(ctx, groups, { complete: true });
}

/** Reads the rule-group (strategy) tag library as WeCom holds it now (`get_strategy_tag_list`, every rule group). */
export async function readStrategyLibrary(client: WecomClient): Promise<RemoteTagGroup[]> {
  const answer = await client.call('externalcontact/get_strategy_tag_list', {});
  return Array.isArray(answer.tag_group) ? (answer.tag_group as RemoteTagGroup[]) : [];
}

/** Applies a full rule-group library read (every rule group's groups, so missing mapped ones are deleted). */
export async function applyStrategyLibrary(ctx: TxCtx, groups: RemoteTagGroup[]): Promise<void> {
  await applyRemoteStrategyLibrary(ctx, groups, { complete: true });
}

/**
 * Reads one customer with every follow (`externalcontact/get`, following `next_cursor` when more
 * than 500 members follow them), so the apply can treat the follow list as complete.
 */
export async function readCustomer(client: WecomClient, externalUserid: string): Promise<RemoteCustomer> {
  let cursor = '';
  let customer: RemoteCustomer | null = null;
  const follows: RemoteFollow[] = [];
  for (let page = 0; page < maxFollowPages; page++) {
    const answer = await client.call('externalcontact/get', undefined, { external_userid: externalUserid, ...(cursor ? { cursor } : {}) });
    customer ??= answer as unknown as RemoteCustomer;
    if (Array.isArray(answer.follow_user)) follows.push(...(answer.follow_user as RemoteFollow[]));
    cursor = typeof answer.next_cursor === 'string' ? answer.next_cursor : '';
    if (!cursor) break;
  }
  if (!customer?.external_contact || customer.external_contact.external_userid !== externalUserid)
    throw new Error('externalcontact/get answered without the customer');
  return { external_contact: customer.external_contact, follow_user: follows };
}

/** Applies a customer read in full: its follows and their marks become WeCom's. */
export async function applyCustomer(ctx: TxCtx, remote: RemoteCustomer): Promise<void> {
  await applyRemoteCustomer(ctx, remote, { complete: true });
}

/** Removes one follow a member or the customer ended in WeCom; the customer stays. */
export async function removeFollow(ctx: TxCtx, userid: string, externalUserid: string): Promise<void> {
  await removeRemoteFollow(ctx, userid, externalUserid);
}
