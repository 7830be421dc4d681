import type { z } from 'zod';
import type { CustomerDetail, CustomerPage, CustomerSummary, Follow, FollowTag, MarkTagsResult } from '../../../contracts/customers.js';
import type { Permission, Policy } from '../../policies/index.js';
import type { MarkTagsResult as MarkRows } from './commands/mark-tags.js';
import type { CustomerDetail as CustomerDetailRows, CustomerRow, FollowRow, FollowTag as FollowTagRow } from './customers.queries.js';
import { describeEvidence } from './mark-evidence.js';

const tagTypes = { 1: 'corp', 2: 'personal', 3: 'strategy' } as const;

function customerFields(c: CustomerRow) {
  return {
    externalUserid: c.externalUserid,
    name: c.name,
    type: c.type,
    gender: c.gender,
    avatar: c.avatar,
    corpName: c.corpName,
    corpFullName: c.corpFullName,
    province: c.province,
    city: c.city,
    createdAt: c.createdAt.toISOString(),
  };
}

/** A customer in a listing, with the userids of its followers. */
export function presentCustomerSummary(item: { customer: CustomerRow; followUserids: string[] }): z.infer<typeof CustomerSummary> {
  return { ...customerFields(item.customer), followUserids: item.followUserids };
}

/** One page of customers; `nextCursor` is null on the last page. */
export function presentCustomerPage(page: {
  customers: { customer: CustomerRow; followUserids: string[] }[];
  nextCursor: string | null;
}): z.infer<typeof CustomerPage> {
  return { customers: page.customers.map(presentCustomerSummary), nextCursor: page.nextCursor };
}

/** A tag on a follow relation, its WeCom type number spelled out. */
export function presentFollowTag(tag: FollowTagRow): z.infer<typeof FollowTag> {
  const o = tag.origin;
  return {
    tagId: tag.tagId,
    name: tag.tagName,
    groupId: tag.groupId ?? null,
    groupName: tag.groupName,
    type: tagTypes[tag.type],
    origin: {
      source: o.source,
      by: o.by,
      byName: o.byName,
      operationId: o.operationId,
      operationKind: o.operationKind,
      at: o.at.toISOString(),
      // Only a rule-made mark names its rule and evidence; other marks' origins stay as they were.
      ...(o.rule ? { rule: o.rule } : {}),
      ...(o.evidence ? { evidence: describeEvidence(o.evidence) } : {}),
    },
  };
}

/** A follow relation with the employee's notes (WeCom's `remark_corp_name` is `remarkCompany` here). */
export function presentFollow(f: FollowRow): z.infer<typeof Follow> {
  return {
    userid: f.userid,
    externalUserid: f.externalUserid,
    remark: f.remark,
    description: f.description,
    remarkCompany: f.remarkCorpName,
    remarkMobiles: f.remarkMobiles,
    addTime: f.addTime.toISOString(),
    addWay: f.addWay,
    state: f.state,
    operUserid: f.operUserid,
  };
}

/** A customer with its follow relations and the tags the reader may see on them. */
export function presentCustomerDetail(detail: CustomerDetailRows, policy?: Policy): z.infer<typeof CustomerDetail> {
  return {
    ...customerFields(detail.customer),
    attributes: detail.customer.attributes,
    follows: detail.follows.map((f) => ({
      ...presentFollow(f),
      userName: f.userName,
      tags: f.tags.map(presentFollowTag),
      // What the caller may do on this relation, so the console can hide what is not allowed.
      ...(policy ? { abilities: policy.abilities(followAbilities, { type: 'follow', userid: f.userid }) } : {}),
    })),
  };
}

/** What the console may offer on one follow relation. */
export const followAbilities: readonly Permission[] = ['tag.apply', 'tag.remove', 'customer.update', 'customer.transfer'];

/** The tag ids a mark request changed. */
export function presentMarkResult(result: MarkRows): z.infer<typeof MarkTagsResult> {
  return { added: result.added, removed: result.removed };
}
