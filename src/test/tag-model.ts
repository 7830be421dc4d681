import { nameKey, normalizeName } from '../names/name-policy.js';

/** Whether two names are one name to a person (the name policy's key). */
const same = (a: string, b: string) => nameKey(normalizeName(a)) === nameKey(normalizeName(b));

/**
 * A deliberately simple in-memory model of the tag library and marks, used as the oracle in the
 * property test: whatever sequence of operations runs, the server must agree with it. Names are
 * stored normalized and compared as a person sees them (VIP and ｖｉｐ are one name).
 */
export class TagModel {
  groups = new Map<string, { name: string; live: boolean; deletion?: number }>();
  tags = new Map<string, { name: string; groupId: string; live: boolean; deletion?: number }>();
  marks = new Set<string>(); // `${userid}|${externalUserid}|${tagId}`
  archive = new Map<string, Set<string>>(); // tagId → marks removed by its deletion
  private deletions = 0;

  constructor(readonly follows: Set<string>) {}

  liveGroupByName(name: string) {
    return [...this.groups].find(([, g]) => g.live && same(g.name, name))?.[0];
  }

  liveTagsOf(groupId: string) {
    return [...this.tags].filter(([, t]) => t.live && t.groupId === groupId);
  }

  /** add_corp_tag by group name: the errcode the server must answer, applying it when 0. */
  add(groupName: string, names: string[], ids: () => { groupId: string; tagIdByName: Map<string, string> } | undefined): number {
    // Repeats in one request collapse into the first spelling.
    const unique = names.map(normalizeName).filter((name, i, all) => all.findIndex((other) => same(other, name)) === i);
    const groupId = this.liveGroupByName(groupName);
    if (groupId && this.liveTagsOf(groupId).some(([, t]) => unique.some((name) => same(name, t.name)))) return 40071;
    const created = ids();
    if (!created) return 0;
    this.groups.set(created.groupId, { name: groupId ? this.groups.get(groupId)!.name : normalizeName(groupName), live: true });
    for (const name of unique) this.tags.set(created.tagIdByName.get(name)!, { name, groupId: created.groupId, live: true });
    return 0;
  }

  rename(tagId: string, name: string): number {
    const tag = this.tags.get(tagId);
    if (!tag?.live) return 40068;
    if (this.liveTagsOf(tag.groupId).some(([id, t]) => id !== tagId && same(t.name, name))) return 40071;
    tag.name = normalizeName(name);
    return 0;
  }

  delete(tagIds: string[], groupIds: string[]): number {
    if (tagIds.some((id) => !this.tags.get(id)?.live) || groupIds.some((id) => !this.groups.get(id)?.live)) return 40068;
    const deletion = ++this.deletions;
    const doomed = new Set(tagIds);
    for (const g of groupIds) for (const [id] of this.liveTagsOf(g)) doomed.add(id);
    const touched = new Set([...doomed].map((id) => this.tags.get(id)!.groupId));
    for (const id of doomed) {
      const tag = this.tags.get(id)!;
      tag.live = false;
      tag.deletion = deletion;
      const removed = new Set([...this.marks].filter((m) => m.endsWith(`|${id}`)));
      for (const m of removed) this.marks.delete(m);
      this.archive.set(id, removed);
    }
    for (const g of touched) {
      if (this.liveTagsOf(g).length === 0) Object.assign(this.groups.get(g)!, { live: false, deletion });
    }
    return 0;
  }

  /** Restores one tag (and its group if deleted); returns the command's error code or ''. */
  restoreTag(tagId: string): string {
    const tag = this.tags.get(tagId);
    if (!tag || tag.live) return 'tag_not_found';
    const group = this.groups.get(tag.groupId)!;
    if (!group.live && this.liveGroupByName(group.name)) return 'name_taken';
    if (group.live && this.liveTagsOf(tag.groupId).some(([, t]) => same(t.name, tag.name))) return 'name_taken';
    group.live = true;
    this.revive([tagId]);
    return '';
  }

  restoreGroup(groupId: string): string {
    const group = this.groups.get(groupId);
    if (!group || group.live) return 'tag_not_found';
    if (this.liveGroupByName(group.name)) return 'name_taken';
    group.live = true;
    this.revive([...this.tags].filter(([, t]) => t.groupId === groupId && !t.live && t.deletion === group.deletion).map(([id]) => id));
    return '';
  }

  private revive(tagIds: string[]) {
    for (const id of tagIds) {
      this.tags.get(id)!.live = true;
      for (const m of this.archive.get(id) ?? []) this.marks.add(m);
      this.archive.delete(id);
    }
  }

  mark(userid: string, externalUserid: string, add: string[], remove: string[]): number {
    if (add.some((id) => remove.includes(id))) return 40058;
    if (!this.follows.has(`${userid}|${externalUserid}`)) return 84061;
    if ([...add, ...remove].some((id) => !this.tags.get(id)?.live)) return 40068;
    for (const id of add) this.marks.add(`${userid}|${externalUserid}|${id}`);
    for (const id of remove) this.marks.delete(`${userid}|${externalUserid}|${id}`);
    return 0;
  }

  /** What `externalcontact/get` must show: per follower, sorted "group/tag/id" strings. */
  expectedTags(externalUserid: string, userids: string[]): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const u of userids) {
      if (!this.follows.has(`${u}|${externalUserid}`)) continue;
      out[u] = [...this.marks]
        .filter((m) => m.startsWith(`${u}|${externalUserid}|`))
        .map((m) => m.split('|')[2]!)
        .map((id) => {
          const tag = this.tags.get(id)!;
          return `${this.groups.get(tag.groupId)!.name}/${tag.name}/${id}`;
        })
        .sort();
    }
    return out;
  }
}
