import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CallbackConfig, type CallbackFields, callbackRequest, type DeliveryOptions, verifyRequest } from './fake/callback-crypto.test-support.js';
import { type Answer, type Endpoint, endpoints, failure } from './fake/endpoints.test-support.js';
import { FakeCorp, type FakeSeed, type FakeSeedCustomer, type FakeTagGroup, wecomId } from './fake/store.test-support.js';

// A fake WeCom server for tests (wecom-api.md): a real HTTP server on 127.0.0.1 that speaks the
// customer-contact API, records every call, injects errors, rate-limits mark_tag, expires tokens,
// and plays staff working in the WeCom app (changing state and producing the callback WeCom would send).

export type { CallbackConfig, CallbackFields, DeliveryOptions } from './fake/callback-crypto.test-support.js';
export {
  callbackRequest,
  callbackSignature,
  callbackXml,
  encryptMessage,
  newEncodingAesKey,
  verifyRequest,
} from './fake/callback-crypto.test-support.js';
export type { FakeCorp, FakeCustomer, FakeFollow, FakeSeed, FakeSeedCustomer, FakeTag, FakeTagGroup } from './fake/store.test-support.js';

/** One recorded request: path below `/cgi-bin/` (e.g. `externalcontact/mark_tag`), query with secrets redacted, body, answer. */
export type FakeCall = {
  path: string;
  method: string;
  query: Record<string, string>;
  /** The parsed JSON body (or the raw text when it was not JSON; undefined for GET). */
  body: unknown;
  /** The errcode answered (undefined when the fake answered an HTTP status or dropped the connection). */
  errcode?: number;
  httpStatus: number;
  /** The corp the token belonged to, when it was valid. */
  corpid?: string;
  at: Date;
};

/** A failure to inject: a WeCom errcode, an HTTP status (e.g. 500), or a dropped connection. */
export type FakeFailure = number | { httpStatus: number } | { drop: true };

/** Options of the fake. */
export type FakeWecomOptions = {
  /** mark_tag calls per corp per minute before 45009 (default 1000). */
  markTagPerMinute?: number;
  /** Lifetime of an access token (default 7200 s); an expired token answers 42001. */
  tokenTtlSeconds?: number;
  /** follow_user entries per page of externalcontact/get (default 500, as WeCom). */
  getFollowPageSize?: number;
  /** The clock in ms (tests may move it; default Date.now). */
  now?: () => number;
};

type IssuedToken = { corpid: string; expiresAt: number; revoked: boolean };

const redacted = '[redacted]';

function normalizePath(path: string): string {
  return path.replace(/^\/?(cgi-bin\/)?/, '').replace(/\?.*$/, '');
}

/**
 * The fake server. Start it, add corps, seed them, point a `WecomClient` at `url`, then assert on
 * `calls`, `tags()` and `marks()`; staff actions return the callback fields to deliver with
 * `postCallback`.
 * @example const wecom = await FakeWecom.start(); wecom.addCorp('ww1', 's3cret'); ... await wecom.close();
 */
export class FakeWecom {
  readonly calls: FakeCall[] = [];
  readonly url: string;
  /** The JS-SDK tickets `get_jsapi_ticket` and `ticket/get?type=agent_config` answer. */
  readonly tickets = { jsapi: `jsapi-${wecomId('', 16)}`, agentConfig: `agent-${wecomId('', 16)}` };
  private readonly corps = new Map<string, FakeCorp>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly failures = new Map<string, { failure: FakeFailure; times: number }[]>();
  private readonly routes: Record<string, Endpoint>;
  private readonly now: () => number;

  private constructor(
    private readonly server: Server,
    private readonly opts: Required<Omit<FakeWecomOptions, 'now'>> & { now: () => number },
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.now = opts.now;
    this.routes = endpoints({ getFollowPageSize: opts.getFollowPageSize, tickets: this.tickets });
  }

  /** Starts a fake on a free port of 127.0.0.1. */
  static async start(options: FakeWecomOptions = {}): Promise<FakeWecom> {
    let fake: FakeWecom | undefined;
    const server = createServer((req, res) => {
      fake?.handle(req, res).catch((error: unknown) => {
        // A bug in the fake must be loud: answer 500 and let the test run report the rejection.
        if (!res.headersSent) res.writeHead(500).end();
        throw error;
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    fake = new FakeWecom(server, {
      markTagPerMinute: options.markTagPerMinute ?? 1000,
      tokenTtlSeconds: options.tokenTtlSeconds ?? 7200,
      getFollowPageSize: options.getFollowPageSize ?? 500,
      now: options.now ?? Date.now,
    });
    return fake;
  }

  /** Changes the mark_tag limit per corp per minute (a benchmark lifts it to measure the push unthrottled). */
  setMarkTagPerMinute(perMinute: number): void {
    this.opts.markTagPerMinute = perMinute;
  }

  /** Stops the server (open keep-alive connections are closed). */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Adds a corp whose gettoken accepts `secret`. */
  addCorp(corpid: string, secret: string): void {
    if (this.corps.has(corpid)) throw new Error(`fake WeCom: corp ${corpid} exists`);
    this.corps.set(corpid, new FakeCorp(corpid, secret, () => Math.floor(this.now() / 1000)));
  }

  /** Replaces the corp's secret (an admin reset it in WeCom): gettoken with the old one answers 40001; issued tokens stay valid. */
  rotateSecret(corpid: string, secret: string): void {
    this.corp(corpid).secret = secret;
  }

  /** Adds tag groups, rule-group tags, follow users, customers (with relations and tags) and group chats. */
  seed(corpid: string, data: FakeSeed): void {
    this.corp(corpid).seed(data);
  }

  /** The calls made to one path (`externalcontact/mark_tag` or `/cgi-bin/externalcontact/mark_tag`). */
  callsTo(path: string): FakeCall[] {
    const wanted = normalizePath(path);
    return this.calls.filter((call) => call.path === wanted);
  }

  /** The next `times` calls to `path` answer `failure` (an errcode, `{ httpStatus }` or `{ drop: true }`), before any token check. */
  failNext(path: string, failure: FakeFailure, times = 1): void {
    const key = normalizePath(path);
    const queue = this.failures.get(key) ?? [];
    queue.push({ failure, times });
    this.failures.set(key, queue);
  }

  /** Every token issued so far answers 42001 from now on; gettoken then issues new ones. */
  expireTokens(): void {
    for (const token of this.tokens.values()) token.revoked = true;
  }

  /** How many access tokens gettoken has issued. */
  get issuedTokens(): number {
    return this.tokens.size;
  }

  /** The corp's live tag groups with their live tags (deleted ones left out), as stored. */
  tags(corpid: string): FakeTagGroup[] {
    return this.corp(corpid)
      .groups.filter((g) => !g.deleted)
      .map((g) => ({ ...g, tags: g.tags.filter((t) => !t.deleted) }));
  }

  /** The tag ids on one member–customer relation (empty when there is no relation). */
  marks(corpid: string, userid: string, externalUserid: string): string[] {
    return [...(this.corp(corpid).follow(userid, externalUserid)?.tagIds ?? [])];
  }

  /** The corp's state, for tests that need more than `tags` and `marks`. */
  corp(corpid: string): FakeCorp {
    const corp = this.corps.get(corpid);
    if (!corp) throw new Error(`fake WeCom: no corp ${corpid} (call addCorp first)`);
    return corp;
  }

  // Staff working in the WeCom app: each changes state and returns what WeCom's callback would say.

  private event(corpid: string, fields: CallbackFields): CallbackFields {
    return { ToUserName: corpid, FromUserName: 'sys', CreateTime: Math.floor(this.now() / 1000), MsgType: 'event', ...fields };
  }

  /** A member adds and removes corp tags on a customer in the app (`edit_external_contact`). */
  staffMark(corpid: string, userid: string, externalUserid: string, add: string[], remove: string[]): CallbackFields {
    const corp = this.corp(corpid);
    const follow = corp.follow(userid, externalUserid);
    if (!follow) throw new Error(`fake WeCom: ${userid} does not follow ${externalUserid}`);
    for (const id of [...add, ...remove]) if (!corp.liveTag(id)) throw new Error(`fake WeCom: no live tag ${id}`);
    for (const id of add) follow.tagIds.add(id);
    for (const id of remove) follow.tagIds.delete(id);
    return this.event(corpid, { Event: 'change_external_contact', ChangeType: 'edit_external_contact', UserID: userid, ExternalUserID: externalUserid });
  }

  /** An admin adds a tag (into the group of that name, created when missing); `groupCallback` is set when the group is new. */
  staffAddTag(
    corpid: string,
    groupName: string,
    tagName: string,
  ): { groupId: string; tagId: string; callback: CallbackFields; groupCallback?: CallbackFields } {
    const corp = this.corp(corpid);
    const existed = corp.groups.some((g) => g.group_name === groupName && !g.deleted);
    const { group, added } = corp.addTags({ groupName }, [{ name: tagName }]);
    const tagId = added[0]?.id as string;
    const callback = this.event(corpid, { Event: 'change_external_tag', Id: tagId, TagType: 'tag', ChangeType: 'create' });
    const groupCallback = existed
      ? undefined
      : this.event(corpid, { Event: 'change_external_tag', Id: group.group_id, TagType: 'tag_group', ChangeType: 'create' });
    return { groupId: group.group_id, tagId, callback, ...(groupCallback ? { groupCallback } : {}) };
  }

  /** A rule-group admin adds a strategy tag (into the rule group's group of that name, created when missing); the callback carries `StrategyId`. */
  staffAddStrategyTag(corpid: string, strategyId: number, groupName: string, tagName: string): { groupId: string; tagId: string; callback: CallbackFields } {
    const { group, added } = this.corp(corpid).addTags({ groupName, strategyId }, [{ name: tagName }]);
    const tagId = added[0]?.id as string;
    const callback = this.event(corpid, { Event: 'change_external_tag', Id: tagId, TagType: 'tag', ChangeType: 'create', StrategyId: String(strategyId) });
    return { groupId: group.group_id, tagId, callback };
  }

  /** An admin renames a tag or a group (`update`). */
  staffRenameTag(corpid: string, id: string, name: string): CallbackFields {
    const corp = this.corp(corpid);
    const group = corp.liveGroup(id);
    const tag = group ? undefined : corp.liveTag(id);
    if (group) group.group_name = name;
    else if (tag) tag.name = name;
    else throw new Error(`fake WeCom: no live tag or group ${id}`);
    return this.event(corpid, { Event: 'change_external_tag', Id: id, TagType: group ? 'tag_group' : 'tag', ChangeType: 'update' });
  }

  /** An admin deletes a tag (`delete`, TagType tag); its group goes too when it was the last tag (one tag_group event then). */
  staffDeleteTag(corpid: string, tagId: string): CallbackFields {
    const corp = this.corp(corpid);
    if (!corp.liveTag(tagId)) throw new Error(`fake WeCom: no live tag ${tagId}`);
    const emptied = corp.deleteTags([tagId]);
    const group = emptied[0];
    return group
      ? this.event(corpid, { Event: 'change_external_tag', Id: group.group_id, TagType: 'tag_group', ChangeType: 'delete' })
      : this.event(corpid, { Event: 'change_external_tag', Id: tagId, TagType: 'tag', ChangeType: 'delete' });
  }

  /** An admin deletes a whole group: one `tag_group` delete event, none for its tags. */
  staffDeleteGroup(corpid: string, groupId: string): CallbackFields {
    const corp = this.corp(corpid);
    const group = corp.liveGroup(groupId);
    if (!group) throw new Error(`fake WeCom: no live group ${groupId}`);
    corp.deleteGroup(group);
    return this.event(corpid, { Event: 'change_external_tag', Id: groupId, TagType: 'tag_group', ChangeType: 'delete' });
  }

  /** An admin reorders tags inside a group (`shuffle` with the group id) or reorders the groups (`shuffle` with an empty Id). */
  staffReorder(corpid: string, groupId: string, orders: Record<string, number>): CallbackFields {
    const corp = this.corp(corpid);
    for (const [id, order] of Object.entries(orders)) {
      const target = groupId === '' ? corp.liveGroup(id) : corp.liveTag(id);
      if (!target || (groupId !== '' && (target as { groupId?: string }).groupId !== groupId))
        throw new Error(`fake WeCom: ${id} is not in ${groupId || 'the groups'}`);
      target.order = order;
    }
    return this.event(corpid, { Event: 'change_external_tag', Id: groupId, ChangeType: 'shuffle' });
  }

  /** A member creates a customer group chat (`change_external_chat` create). */
  staffCreateChat(corpid: string, owner: string, name = ''): { chatId: string; callback: CallbackFields } {
    const chatId = wecomId('wr', 30);
    this.corp(corpid).seed({
      groupChats: [{ chat_id: chatId, owner, name, member_list: [{ userid: owner, type: 1, join_time: Math.floor(this.now() / 1000), join_scene: 1 }] }],
    });
    return { chatId, callback: this.event(corpid, { Event: 'change_external_chat', ChatId: chatId, ChangeType: 'create' }) };
  }

  /** Someone joins a group chat (`update` / `add_member`, with JoinScene: 1 invited, 2 link, 3 QR code). */
  staffJoinChat(corpid: string, chatId: string, member: { userid: string; type?: number; joinScene?: number; joinTime?: number }): CallbackFields {
    const chat = this.chat(corpid, chatId);
    const joinScene = member.joinScene ?? 3;
    chat.member_list = chat.member_list.filter((m) => m.userid !== member.userid);
    chat.member_list.push({
      userid: member.userid,
      type: member.type ?? 2,
      join_time: member.joinTime ?? Math.floor(this.now() / 1000),
      join_scene: joinScene,
    });
    return this.event(corpid, {
      Event: 'change_external_chat',
      ChatId: chatId,
      ChangeType: 'update',
      UpdateDetail: 'add_member',
      JoinScene: joinScene,
      MemChangeCnt: 1,
    });
  }

  /** Someone leaves a group chat (`update` / `del_member`, QuitScene 0 left by themself, 1 removed). */
  staffLeaveChat(corpid: string, chatId: string, userid: string, quitScene = 0): CallbackFields {
    const chat = this.chat(corpid, chatId);
    if (!chat.member_list.some((m) => m.userid === userid)) throw new Error(`fake WeCom: ${userid} is not in ${chatId}`);
    chat.member_list = chat.member_list.filter((m) => m.userid !== userid);
    return this.event(corpid, {
      Event: 'change_external_chat',
      ChatId: chatId,
      ChangeType: 'update',
      UpdateDetail: 'del_member',
      QuitScene: quitScene,
      MemChangeCnt: 1,
    });
  }

  /** The owner dismisses a group chat (`dismiss`); it is gone from the API. */
  staffDismissChat(corpid: string, chatId: string): CallbackFields {
    const corp = this.corp(corpid);
    this.chat(corpid, chatId);
    corp.groupChats.splice(
      corp.groupChats.findIndex((c) => c.chat_id === chatId),
      1,
    );
    return this.event(corpid, { Event: 'change_external_chat', ChatId: chatId, ChangeType: 'dismiss' });
  }

  private chat(corpid: string, chatId: string) {
    const chat = this.corp(corpid).groupChats.find((c) => c.chat_id === chatId);
    if (!chat) throw new Error(`fake WeCom: no group chat ${chatId}`);
    return chat;
  }

  /** A member adds a customer (new, or one another member already follows): `add_external_contact` with State and WelcomeCode. */
  staffAddCustomer(
    corpid: string,
    userid: string,
    customer: Omit<FakeSeedCustomer, 'follow'> & { state?: string; tags?: string[] },
  ): { externalUserid: string; callback: CallbackFields } {
    const { state, tags, ...contact } = customer;
    const added = this.corp(corpid).addCustomer({ ...contact, follow: [{ userid, ...(state === undefined ? {} : { state }), tags: tags ?? [] }] });
    const callback = this.event(corpid, {
      Event: 'change_external_contact',
      ChangeType: 'add_external_contact',
      UserID: userid,
      ExternalUserID: added.external_userid,
      ...(state === undefined ? {} : { State: state }),
      WelcomeCode: wecomId('', 20),
    });
    return { externalUserid: added.external_userid, callback };
  }

  /** The customer deletes the member (`del_follow_user`): the relation and its tags go. */
  staffDeleteFollow(corpid: string, userid: string, externalUserid: string): CallbackFields {
    this.dropRelation(corpid, userid, externalUserid);
    return this.event(corpid, { Event: 'change_external_contact', ChangeType: 'del_follow_user', UserID: userid, ExternalUserID: externalUserid });
  }

  /** The member deletes the customer (`del_external_contact`): the relation and its tags go. */
  staffDeleteCustomer(corpid: string, userid: string, externalUserid: string): CallbackFields {
    this.dropRelation(corpid, userid, externalUserid);
    return this.event(corpid, { Event: 'change_external_contact', ChangeType: 'del_external_contact', UserID: userid, ExternalUserID: externalUserid });
  }

  private dropRelation(corpid: string, userid: string, externalUserid: string): void {
    const customer = this.corp(corpid).customers.get(externalUserid);
    if (!customer?.follows.some((f) => f.userid === userid)) throw new Error(`fake WeCom: ${userid} does not follow ${externalUserid}`);
    customer.follows = customer.follows.filter((f) => f.userid !== userid);
  }

  /**
   * Delivers a callback as WeCom does: POST of the encrypted XML envelope with msg_signature,
   * timestamp and nonce in the query. `twice` sends the identical request again (WeCom's retry).
   */
  async postCallback(
    targetUrl: string,
    fields: CallbackFields,
    cfg: CallbackConfig & DeliveryOptions & { twice?: boolean },
  ): Promise<{ status: number; body: string; second?: { status: number; body: string } }> {
    const request = callbackRequest(fields, { ...cfg, now: cfg.now ?? this.now, random: cfg.random ?? randomBytes(16) });
    const url = new URL(targetUrl);
    for (const [k, v] of Object.entries(request.query)) url.searchParams.set(k, v);
    const send = async () => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: request.body });
      return { status: res.status, body: await res.text() };
    };
    const first = await send();
    return cfg.twice ? { ...first, second: await send() } : first;
  }

  /** The GET echostr handshake WeCom makes when a callback URL is saved; a correct receiver answers `echostr`. */
  async verifyUrl(targetUrl: string, cfg: CallbackConfig & DeliveryOptions & { echostr?: string }): Promise<{ status: number; body: string; echostr: string }> {
    const request = verifyRequest({ ...cfg, now: cfg.now ?? this.now });
    const url = new URL(targetUrl);
    for (const [k, v] of Object.entries(request.query)) url.searchParams.set(k, v);
    const res = await fetch(url);
    return { status: res.status, body: await res.text(), echostr: request.echostr };
  }

  // The HTTP side.

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const path = url.pathname.startsWith('/cgi-bin/') ? url.pathname.slice('/cgi-bin/'.length) : null;
    const known = path !== null && (path === 'gettoken' || path in this.routes);
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = k === 'access_token' || k === 'corpsecret' ? redacted : v;
    const call: FakeCall = {
      path: path ?? url.pathname,
      method: req.method ?? 'GET',
      query,
      body: parseLoose(raw),
      httpStatus: 200,
      at: new Date(this.now()),
    };
    this.calls.push(call);
    if (!known || path === null) {
      call.httpStatus = 404;
      res.writeHead(404).end();
      return;
    }
    const injected = this.takeFailure(path);
    if (injected !== undefined && typeof injected === 'object') {
      if ('drop' in injected) {
        call.httpStatus = 0;
        req.socket.destroy();
        return;
      }
      call.httpStatus = injected.httpStatus;
      res.writeHead(injected.httpStatus, { 'content-type': 'text/plain' }).end('fake failure');
      return;
    }
    const answer =
      typeof injected === 'number' ? this.withDefaults(path, failure(injected)) : this.answer(path, url.searchParams, raw, req.method ?? 'GET', call);
    call.errcode = answer.errcode;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer));
  }

  private takeFailure(path: string): FakeFailure | undefined {
    const queue = this.failures.get(path);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.times -= 1;
    if (head.times <= 0) queue.shift();
    return head.failure;
  }

  private withDefaults(path: string, answer: Answer): Answer {
    if (answer.errcode === 0) return answer;
    return { ...(this.routes[path]?.defaults ?? {}), ...answer };
  }

  private answer(path: string, params: URLSearchParams, raw: string, method: string, call: FakeCall): Answer {
    if (path === 'gettoken') return this.getToken(params, call);
    const route = this.routes[path] as Endpoint;
    const token = params.get('access_token');
    if (!token) return this.withDefaults(path, failure(41001));
    const issued = this.tokens.get(token);
    if (!issued) return this.withDefaults(path, failure(40014));
    if (issued.revoked || issued.expiresAt <= this.now()) return this.withDefaults(path, failure(42001));
    call.corpid = issued.corpid;
    if (route.method === 'POST' && method !== 'POST') return this.withDefaults(path, failure(40058, 'POST expected'));
    let body: Record<string, unknown> = {};
    if (route.method === 'POST' && raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        return this.withDefaults(path, failure(40058, 'invalid json'));
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) return this.withDefaults(path, failure(40058, 'invalid json'));
    }
    const answer = route.handle({ corp: this.corp(issued.corpid), query: params, body, now: this.now(), markTagPerMinute: this.opts.markTagPerMinute });
    return this.withDefaults(path, answer);
  }

  private getToken(params: URLSearchParams, call: FakeCall): Answer {
    const corpid = params.get('corpid');
    const secret = params.get('corpsecret');
    if (!secret) return failure(41004);
    if (!corpid) return failure(41002);
    const corp = this.corps.get(corpid);
    if (!corp) return failure(40013);
    if (corp.secret !== secret) return failure(40001);
    call.corpid = corpid;
    const now = this.now();
    // Re-fetching while a token is valid returns the same token, as WeCom does.
    for (const [token, issued] of this.tokens) {
      if (issued.corpid === corpid && !issued.revoked && issued.expiresAt > now) {
        return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: Math.floor((issued.expiresAt - now) / 1000) };
      }
    }
    const token = `fake-token-${randomBytes(24).toString('hex')}`;
    this.tokens.set(token, { corpid, expiresAt: now + this.opts.tokenTtlSeconds * 1000, revoked: false });
    return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: this.opts.tokenTtlSeconds };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseLoose(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
