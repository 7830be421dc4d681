/** One follow relation (employee × customer) as the evaluator sees it. `tags` are the marks on it. */
export type FollowFact = {
  userid: string;
  departmentIds: readonly number[];
  addTime: Date;
  addWay: number;
  state: string;
  tags?: readonly string[];
};

/** One behaviour event of the customer: `link.clicked` with the link id as target, at a time. */
export type EventFact = { type: string; target?: string; at: Date };

/** A customer group chat the customer is in now, since `joinTime`; `name` is for explanations. */
export type ChatFact = { chatId: string; name?: string; joinTime: Date };

/**
 * Everything the reference evaluator needs about one customer, plus the corp context it is read
 * in (`tagGroups`, `departmentParents`, `now`, the zone offset). `tags` is the union over every
 * relation: "a customer has tag T" when any relation carries T (DESIGN.md §3); personal tags are
 * in it only when the audience belongs to their owner.
 */
export type CustomerFacts = {
  tags: ReadonlySet<string>;
  /** Live tag id → group id, for `group:…:any|all|none`. */
  tagGroups: ReadonlyMap<string, string>;
  follows: readonly FollowFact[];
  province: string;
  city: string;
  region: string;
  /**
   * Every region the customer is in, when the database says so: its own, else each region of its
   * followers' departments (so possibly several, or none). When set, `region:` tests it, not `region`.
   */
  regions?: readonly string[];
  /** WeCom gender: 0 unknown, 1 male, 2 female. */
  gender: number;
  /** `customers.corp_name`. */
  company: string;
  /** `customers.attributes`: the custom attributes. */
  attributes: Readonly<Record<string, unknown>>;
  events: readonly EventFact[];
  /** The customer group chats the customer is a member of now. */
  chats: readonly ChatFact[];
  now: Date;
  /** Department id → parent id, for `dept:3+`; required only when a subtree is asked for. */
  departmentParents?: ReadonlyMap<number, number>;
  /** Zone of dates written without one; defaults to +480 (Asia/Shanghai). */
  utcOffsetMinutes?: number;
};

/**
 * Facts with defaults for what is not given; `tags` becomes the union of `input.tags` and every
 * relation's tags, mirroring how the `marks` table hangs tags off follow relations.
 * @example customerFacts({ now, follows: [{ userid: 'zhangsan', departmentIds: [3], addTime, addWay: 1, state: '', tags: ['etA'] }] }).tags // → Set {'etA'}
 */
export function customerFacts(input: Partial<Omit<CustomerFacts, 'tags'>> & { now: Date; tags?: Iterable<string> }): CustomerFacts {
  const follows = input.follows ?? [];
  return {
    province: '',
    city: '',
    region: '',
    gender: 0,
    company: '',
    attributes: {},
    events: [],
    chats: [],
    tagGroups: new Map(),
    ...input,
    follows,
    tags: new Set([...(input.tags ?? []), ...follows.flatMap((f) => f.tags ?? [])]),
  };
}
