import { randomBytes } from 'node:crypto';

// The state one fake WeCom corp holds: corp tags (soft-deleted so "asked by id" answers can say
// `deleted`), rule-group tags, follow users, customers with their per-member relations and tags,
// and customer group chats. Kept apart from the HTTP layer so staff actions and endpoints share it.

/** A corp tag or rule-group tag as WeCom stores it. */
export type FakeTag = { id: string; name: string; create_time: number; order: number; deleted: boolean; groupId: string };

/** A tag group with its tags (ids, in creation order); `strategy_id` set for rule-group tags. */
export type FakeTagGroup = {
  group_id: string;
  group_name: string;
  create_time: number;
  order: number;
  deleted: boolean;
  strategy_id?: number;
  tags: FakeTag[];
};

/** One member–customer relation (WeCom's `follow_user` entry). */
export type FakeFollow = {
  userid: string;
  remark: string;
  description: string;
  createtime: number;
  add_way: number;
  oper_userid: string;
  state?: string;
  /** Corp and rule-group tag ids on this relation. */
  tagIds: Set<string>;
  /** Personal tags (type 2): WeCom shows only their names and the API cannot change them. */
  personalTags: string[];
};

/** A customer (external contact) and the members who follow it, in the order they were added. */
export type FakeCustomer = {
  external_userid: string;
  name: string;
  type: number;
  gender: number;
  avatar: string;
  unionid?: string;
  corp_name?: string;
  follows: FakeFollow[];
};

/** A customer group chat, as `groupchat/get` shows it. */
export type FakeGroupChat = {
  chat_id: string;
  name: string;
  owner: string;
  create_time: number;
  notice: string;
  status: number;
  member_list: { userid: string; type: number; join_time: number; join_scene: number; invitor?: { userid: string }; name?: string }[];
  admin_list: { userid: string }[];
};

/** A tag group to seed; ids are generated (`et…`) when left out. */
export type FakeSeedTagGroup = {
  group_id?: string;
  group_name: string;
  order?: number;
  create_time?: number;
  strategy_id?: number;
  tags: { id?: string; name: string; order?: number; create_time?: number }[];
};

/** A relation to seed: `tags` are tag ids, or tag names when no tag has that id. */
export type FakeSeedFollow = {
  userid: string;
  remark?: string;
  description?: string;
  createtime?: number;
  add_way?: number;
  state?: string;
  tags?: string[];
  personalTags?: string[];
};

/** A customer to seed; `external_userid` is generated (`wm…`) when left out. */
export type FakeSeedCustomer = {
  external_userid?: string;
  name: string;
  type?: number;
  gender?: number;
  avatar?: string;
  unionid?: string;
  corp_name?: string;
  follow?: FakeSeedFollow[];
};

/** A customer rule group as `customer_strategy/get` and `get_range` answer it. */
export type FakeStrategy = {
  strategy_id: number;
  parent_id: number;
  strategy_name: string;
  admin_list: string[];
  range: ({ type: 1; userid: string } | { type: 2; partyid: number })[];
};

/** What `FakeWecom.seed` accepts: everything optional, added to what the corp already holds. */
export type FakeSeed = {
  tagGroups?: FakeSeedTagGroup[];
  /** Rule-group (strategy) tag groups; each needs a `strategy_id`. */
  strategyTagGroups?: (FakeSeedTagGroup & { strategy_id: number })[];
  /** Rule groups' details (name, admins, range); a strategy id without one answers as unknown. */
  strategies?: FakeStrategy[];
  /** Members with customer contact enabled (members named in customers' `follow` are added too). */
  followUsers?: string[];
  customers?: FakeSeedCustomer[];
  groupChats?: (Partial<FakeGroupChat> & { owner: string })[];
};

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An opaque id that looks like WeCom's: a prefix (`et`, `wm`, `wr`) and random letters and digits. */
export function wecomId(prefix: string, length = 22): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return id;
}

/** One corp's state inside the fake. */
export class FakeCorp {
  readonly groups: FakeTagGroup[] = [];
  readonly strategyGroups: FakeTagGroup[] = [];
  readonly strategies = new Map<number, FakeStrategy>();
  readonly followUsers: string[] = [];
  readonly customers = new Map<string, FakeCustomer>();
  readonly groupChats: FakeGroupChat[] = [];
  // Tags by id, so lookups stay cheap when a benchmark marks thousands of customers.
  private readonly tagsById = new Map<string, FakeTag>();
  /** Times (ms) of recent mark_tag calls, for the per-minute limit. */
  markTimes: number[] = [];

  constructor(
    readonly corpid: string,
    public secret: string,
    private readonly nowSeconds: () => number,
  ) {}

  /** Every tag, corp and rule-group, live or deleted. */
  allTags(): FakeTag[] {
    return [...this.groups, ...this.strategyGroups].flatMap((group) => group.tags);
  }

  /** A live tag (corp or rule-group) by id. */
  liveTag(id: string): FakeTag | undefined {
    const tag = this.tagsById.get(id);
    return tag && !tag.deleted ? tag : undefined;
  }

  /** A live corp tag group by id. */
  liveGroup(id: string): FakeTagGroup | undefined {
    return this.groups.find((group) => group.group_id === id && !group.deleted);
  }

  /** The group a tag belongs to. */
  groupOf(tag: FakeTag): FakeTagGroup {
    const group = [...this.groups, ...this.strategyGroups].find((g) => g.group_id === tag.groupId);
    if (!group) throw new Error(`fake WeCom: tag ${tag.id} has no group`);
    return group;
  }

  /** Adds a follow user once. */
  addFollowUser(userid: string): void {
    if (!this.followUsers.includes(userid)) this.followUsers.push(userid);
  }

  /** Creates a group (or finds a live one by name) and adds tags to it; returns the group and the new tags. */
  addTags(
    where: { groupId?: string; groupName?: string; order?: number; createTime?: number; strategyId?: number },
    tags: { id?: string; name: string; order?: number; create_time?: number }[],
  ): { group: FakeTagGroup; added: FakeTag[] } {
    const list = where.strategyId === undefined ? this.groups : this.strategyGroups;
    let group = where.groupId ? list.find((g) => g.group_id === where.groupId && !g.deleted) : undefined;
    group ??= where.groupName ? list.find((g) => g.group_name === where.groupName && !g.deleted && g.strategy_id === where.strategyId) : undefined;
    if (!group) {
      group = {
        group_id: where.groupId ?? wecomId('et'),
        group_name: where.groupName ?? 'group',
        create_time: where.createTime ?? this.nowSeconds(),
        order: where.order ?? 0,
        deleted: false,
        ...(where.strategyId === undefined ? {} : { strategy_id: where.strategyId }),
        tags: [],
      };
      list.push(group);
    }
    const added: FakeTag[] = [];
    for (const input of tags) {
      const tag: FakeTag = {
        id: input.id ?? wecomId('et'),
        name: input.name,
        create_time: input.create_time ?? this.nowSeconds(),
        order: input.order ?? 0,
        deleted: false,
        groupId: group.group_id,
      };
      group.tags.push(tag);
      this.tagsById.set(tag.id, tag);
      added.push(tag);
    }
    return { group, added };
  }

  /** Soft-deletes tags; a group left without live tags is deleted too. Returns the groups that went. */
  deleteTags(ids: string[]): FakeTagGroup[] {
    const emptied: FakeTagGroup[] = [];
    for (const id of ids) {
      const tag = this.liveTag(id);
      if (!tag) continue;
      tag.deleted = true;
      this.unmark(id);
      const group = this.groupOf(tag);
      if (!group.deleted && group.tags.every((t) => t.deleted)) {
        group.deleted = true;
        emptied.push(group);
      }
    }
    return emptied;
  }

  /** Soft-deletes a group and all its tags. */
  deleteGroup(group: FakeTagGroup): void {
    group.deleted = true;
    for (const tag of group.tags) {
      if (!tag.deleted) this.unmark(tag.id);
      tag.deleted = true;
    }
  }

  /** The relation between a member and a customer, if there is one. */
  follow(userid: string, externalUserid: string): FakeFollow | undefined {
    return this.customers.get(externalUserid)?.follows.find((f) => f.userid === userid);
  }

  /** Adds a customer, or adds relations to an existing one; returns it. */
  addCustomer(input: FakeSeedCustomer): FakeCustomer {
    const id = input.external_userid ?? wecomId('wm', 30);
    let customer = this.customers.get(id);
    if (!customer) {
      customer = {
        external_userid: id,
        name: input.name,
        type: input.type ?? 1,
        gender: input.gender ?? 0,
        avatar: input.avatar ?? '',
        ...(input.unionid ? { unionid: input.unionid } : {}),
        ...(input.corp_name ? { corp_name: input.corp_name } : {}),
        follows: [],
      };
      this.customers.set(id, customer);
    }
    for (const seed of input.follow ?? []) {
      this.addFollowUser(seed.userid);
      customer.follows = customer.follows.filter((f) => f.userid !== seed.userid);
      customer.follows.push({
        userid: seed.userid,
        remark: seed.remark ?? '',
        description: seed.description ?? '',
        createtime: seed.createtime ?? this.nowSeconds(),
        add_way: seed.add_way ?? 1,
        oper_userid: seed.userid,
        ...(seed.state === undefined ? {} : { state: seed.state }),
        tagIds: new Set((seed.tags ?? []).map((t) => this.resolveTag(t))),
        personalTags: seed.personalTags ?? [],
      });
    }
    return customer;
  }

  /** Seeds groups, tags, members, customers and chats. */
  seed(data: FakeSeed): void {
    for (const group of data.tagGroups ?? []) this.seedGroup(group);
    for (const group of data.strategyTagGroups ?? []) this.seedGroup(group);
    for (const strategy of data.strategies ?? []) this.strategies.set(strategy.strategy_id, strategy);
    for (const userid of data.followUsers ?? []) this.addFollowUser(userid);
    for (const customer of data.customers ?? []) this.addCustomer(customer);
    for (const chat of data.groupChats ?? []) {
      this.groupChats.push({
        chat_id: chat.chat_id ?? wecomId('wr', 30),
        name: chat.name ?? '',
        owner: chat.owner,
        create_time: chat.create_time ?? this.nowSeconds(),
        notice: chat.notice ?? '',
        status: chat.status ?? 0,
        member_list: chat.member_list ?? [],
        admin_list: chat.admin_list ?? [],
      });
    }
  }

  private seedGroup(group: FakeSeedTagGroup): void {
    this.addTags(
      { groupId: group.group_id, groupName: group.group_name, order: group.order, createTime: group.create_time, strategyId: group.strategy_id },
      group.tags,
    );
  }

  /** A tag id given as an id, or as the name of a live tag. */
  private resolveTag(idOrName: string): string {
    if (this.liveTag(idOrName)) return idOrName;
    const byName = this.allTags().find((tag) => tag.name === idOrName && !tag.deleted);
    if (!byName) throw new Error(`fake WeCom seed: no tag with id or name ${idOrName}`);
    return byName.id;
  }

  private unmark(tagId: string): void {
    for (const customer of this.customers.values()) for (const follow of customer.follows) follow.tagIds.delete(tagId);
  }
}
