import type { Privilege } from '../modules/strategies/privileges.js';
import type { RangeNode } from '../modules/strategies/range.js';
import type { StrategyRow } from '../modules/strategies/strategies.repo.js';
import type { TagGroupRow, TagRow } from '../modules/tags/tags.repo.js';
import { unixSeconds } from './presenters.js';

/** One entry of get_strategy_tag_list's `tag_group`: a corp-style group plus its `strategy_id`, never `deleted` flags. */
export function presentStrategyTagGroup(group: TagGroupRow, tags: TagRow[]) {
  return {
    group_id: group.groupId,
    group_name: group.name,
    create_time: unixSeconds(group.createdAt),
    order: group.order,
    strategy_id: group.strategyId,
    tag: tags.map((tag) => ({ id: tag.tagId, name: tag.name, create_time: unixSeconds(tag.createdAt), order: tag.order })),
  };
}

/** customer_strategy/get's `strategy`; `privilege` is the one in force (a child's is inherited). */
export function presentStrategy(strategy: StrategyRow, privilege: Privilege) {
  return {
    strategy_id: strategy.strategyId,
    parent_id: strategy.parentId,
    strategy_name: strategy.name,
    create_time: unixSeconds(strategy.createdAt),
    admin_list: strategy.adminList,
    privilege,
  };
}

/** One entry of customer_strategy/get_range's `range`: a member by `userid` or a department by `partyid`. */
export function presentRangeNode(node: RangeNode) {
  return node.type === 1 ? { type: 1, userid: node.userid } : { type: 2, partyid: node.deptId };
}
