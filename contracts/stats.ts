import { z } from 'zod';
import { Id } from './common.js';

/** `GET /stats/tags`: the tag group whose tags are counted. */
export const TagStatsQuery = z.strictObject({ groupId: Id.meta({ description: 'A tag group the caller may see (enterprise, rule-group or smart).' }) });

/** One tag of the group and how many customers in the caller's data scope carry it. */
export const TagCustomerCount = z.object({ tagId: z.string(), name: z.string(), customers: z.int() });

/**
 * Customers per tag of one group, within the caller's data scope: each tag in the group's order,
 * how many carry none of them, and how many the caller may see in all (a customer with two tags
 * of the group is counted under both).
 */
export const TagStats = z.object({
  groupId: z.string(),
  groupName: z.string(),
  tags: z.array(TagCustomerCount),
  withoutGroupTags: z.int(),
  visibleCustomers: z.int(),
});

/** `GET /stats/customers`: how many days back, today included (default 30). */
export const CustomerGrowthQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(366).default(30).meta({ description: 'Days back, today included: 1–366 (default 30).' }),
});

/** One calendar day (in the corp's zone, UTC+8) and the customers first added on it. */
export const DailyNewCustomers = z.object({ date: z.iso.date(), customers: z.int() });

/**
 * New customers per day within the caller's data scope, by each customer's first add time (the
 * earliest of their follow relations), oldest day first; `visibleCustomers` is everyone in scope.
 */
export const CustomerGrowth = z.object({ days: z.array(DailyNewCustomers), newCustomers: z.int(), visibleCustomers: z.int() });
