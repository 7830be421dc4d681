import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { wecomConnections } from '../../../db/schema/index.js';
import { sealedPlace } from '../connection.js';
import type { SecretBox } from '../secret-box.js';

type Group = { id: string; name: string; order: number; tags: Map<string, { name: string; order: number }> };

/**
 * A small WeCom for the push tests, spoken to through `fetch`: tokens, the corp-tag library and
 * mark_tag per relation, with every call recorded (URL and body) and errors injected per path.
 * (The shared fake of the "fake" helper replaces it once merged.)
 */
export class PushFakeWecom {
  readonly calls: { path: string; url: string; body: Record<string, unknown> | undefined }[] = [];
  readonly groups = new Map<string, Group>();
  readonly marks = new Map<string, Set<string>>();
  readonly relations = new Set<string>();
  private readonly valid = new Set<string>();
  private readonly injected: { path: string; errcode: number; times: number }[] = [];
  private n = 0;

  constructor(
    readonly corpid: string,
    readonly secret: string,
  ) {}

  /** The next `times` calls of `path` answer `errcode` (42001 also expires every token). */
  inject(path: string, errcode: number, times = 1): void {
    this.injected.push({ path, errcode, times });
  }

  /** The remote tag ids on a relation. */
  marksOf(userid: string, externalUserid: string): string[] {
    return [...(this.marks.get(`${userid}|${externalUserid}`) ?? [])].sort();
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const path = url.pathname.replace(/^\/cgi-bin\//, '');
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : undefined;
    this.calls.push({ path, url: url.toString(), body });
    return Response.json(this.answer(path, url, body ?? {}));
  };

  private id(prefix: string): string {
    this.n += 1;
    return `${prefix}${this.n.toString().padStart(6, '0')}`;
  }

  private answer(path: string, url: URL, body: Record<string, any>): Record<string, unknown> {
    if (path === 'gettoken') {
      if (url.searchParams.get('corpid') !== this.corpid || url.searchParams.get('corpsecret') !== this.secret)
        return { errcode: 40001, errmsg: 'invalid credential' };
      const token = this.id('tok');
      this.valid.add(token);
      return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 };
    }
    if (!this.valid.has(url.searchParams.get('access_token') ?? '')) return { errcode: 40014, errmsg: 'invalid access_token' };
    const inj = this.injected.find((i) => i.path === path && i.times > 0);
    if (inj) {
      inj.times -= 1;
      if (inj.errcode === 42001) this.valid.clear();
      return { errcode: inj.errcode, errmsg: `injected ${inj.errcode}` };
    }
    switch (path) {
      case 'externalcontact/add_corp_tag': {
        let group = body.group_id ? this.groups.get(body.group_id) : [...this.groups.values()].find((g) => g.name === body.group_name);
        if (body.group_id && !group) return { errcode: 40068, errmsg: 'invalid tagid' };
        const tags = (body.tag ?? []) as { name: string; order?: number }[];
        if (tags.length === 0) return { errcode: 40071, errmsg: 'empty' };
        if (group && tags.some((t) => [...group!.tags.values()].some((x) => x.name === t.name)))
          return { errcode: 40071, errmsg: 'UserTag Name Already Exist' };
        if (!group) {
          group = { id: this.id('etg'), name: body.group_name, order: body.order ?? 0, tags: new Map() };
          this.groups.set(group.id, group);
        }
        for (const t of tags) group.tags.set(this.id('ett'), { name: t.name, order: t.order ?? 0 });
        return { errcode: 0, errmsg: 'ok', tag_group: this.present(group) };
      }
      case 'externalcontact/get_corp_tag_list': {
        const ids = (body.group_id ?? []) as string[];
        const groups = [...this.groups.values()].filter((g) => ids.length === 0 || ids.includes(g.id));
        return { errcode: 0, errmsg: 'ok', tag_group: groups.map((g) => this.present(g)) };
      }
      case 'externalcontact/edit_corp_tag': {
        const group = this.groups.get(body.id);
        const owner = [...this.groups.values()].find((g) => g.tags.has(body.id));
        const target = group ?? owner?.tags.get(body.id);
        if (!target) return { errcode: 40068, errmsg: 'invalid tagid' };
        if (body.name !== undefined) target.name = body.name;
        if (body.order !== undefined) target.order = body.order;
        return { errcode: 0, errmsg: 'ok' };
      }
      case 'externalcontact/del_corp_tag': {
        for (const id of (body.group_id ?? []) as string[]) this.groups.delete(id);
        for (const id of (body.tag_id ?? []) as string[])
          for (const g of this.groups.values()) {
            g.tags.delete(id);
            if (g.tags.size === 0) this.groups.delete(g.id); // WeCom drops a group with its last tag
          }
        return { errcode: 0, errmsg: 'ok' };
      }
      case 'externalcontact/mark_tag': {
        const key = `${body.userid}|${body.external_userid}`;
        if (!this.relations.has(key)) return { errcode: 84061, errmsg: 'not external contact' };
        const known = new Set([...this.groups.values()].flatMap((g) => [...g.tags.keys()]));
        if ([...body.add_tag, ...body.remove_tag].some((t: string) => !known.has(t))) return { errcode: 40068, errmsg: 'invalid tagid' };
        const set = this.marks.get(key) ?? new Set();
        for (const t of body.remove_tag) set.delete(t);
        for (const t of body.add_tag) set.add(t);
        this.marks.set(key, set);
        return { errcode: 0, errmsg: 'ok' };
      }
    }
    return { errcode: 404, errmsg: 'unknown path' };
  }

  private present(g: Group) {
    return { group_id: g.id, group_name: g.name, order: g.order, tag: [...g.tags].map(([id, t]) => ({ id, name: t.name, order: t.order })) };
  }
}

/** Connects a corp to the fake (sealed secret), push on or off. */
export async function connectCorp(db: Db, box: SecretBox, corpId: string, fake: PushFakeWecom, pushEnabled = true): Promise<void> {
  await db
    .insert(wecomConnections)
    .values({
      corpId,
      wecomCorpid: fake.corpid,
      apiBase: 'https://fake.wecom.test',
      secretSealed: box.seal(fake.secret, sealedPlace.secret(corpId)),
      pushEnabled,
    })
    .onConflictDoUpdate({ target: wecomConnections.corpId, set: { pushEnabled, updatedAt: new Date() } });
}

/** Turns a corp's push on or off. */
export async function setPush(db: Db, corpId: string, pushEnabled: boolean): Promise<void> {
  await db.update(wecomConnections).set({ pushEnabled }).where(eq(wecomConnections.corpId, corpId));
}
