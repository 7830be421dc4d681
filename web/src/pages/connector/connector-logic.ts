import type { PushDescription } from '../../api/connector.js';

const alphanumerics = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random letters and digits from the browser's CSPRNG (rejection sampling keeps them uniform). */
export function randomAlphanumeric(length: number, random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  let out = '';
  while (out.length < length) {
    for (const byte of random(new Uint8Array(length * 2))) {
      // 248 = 4 × 62: bytes above it would favour the first letters.
      if (byte < 248 && out.length < length) out += alphanumerics[byte % 62];
    }
  }
  return out;
}

/** A callback token as WeCom's admin accepts it: 32 letters and digits. */
export const randomCallbackToken = () => randomAlphanumeric(32);

/** An EncodingAESKey: exactly 43 letters and digits (base64 of a 32-byte key without its `=`). */
export const randomEncodingAesKey = () => randomAlphanumeric(43);

/** What the server accepts for each (contracts of `PUT /connector`), so the form says it before saving. */
export const connectionPatterns = {
  callbackToken: /^[A-Za-z0-9]{1,32}$/,
  encodingAesKey: /^[A-Za-z0-9]{43}$/,
  apiBase: /^https?:\/\/\S+$/,
} as const;

/** The absolute callback URL to paste into WeCom's admin, from the path the server answers. */
export function absoluteCallbackUrl(path: string, origin: string): string {
  return new URL(path, origin).toString();
}

/** How long ago `iso` was, in whole minutes (for "oldest pending: 12 min"), or null without a time. */
export function minutesSince(iso: string | null, now = Date.now()): number | null {
  if (!iso) return null;
  return Math.max(0, Math.floor((now - new Date(iso).getTime()) / 60_000));
}

/** The form's fields the server may name in a refusal's details. */
export const connectionFields = ['wecomCorpid', 'secret', 'callbackToken', 'encodingAesKey', 'agentId', 'apiBase', 'pushEnabled'] as const;

/**
 * The description in the reader's language (`t` of the connector namespace): the server's English
 * `summary` is for API clients, so a zh console does not show "Mark … for …".
 */
export function describePush(t: (key: string, values?: Record<string, unknown>) => string, d: PushDescription): string {
  const quoted = (xs: string[]) => xs.map((x) => `「${x}」`).join(' ');
  const joined = (parts: string[]) => parts.filter(Boolean).join(t('push.describe.separator'));
  switch (d.action) {
    case 'mark': {
      const changes = joined([
        d.add.length ? t('push.describe.add', { tags: quoted(d.add) }) : '',
        d.remove.length ? t('push.describe.remove', { tags: quoted(d.remove) }) : '',
      ]);
      return t('push.describe.mark', { customer: d.customer, userid: d.userid, changes });
    }
    case 'createTags':
      return t('push.describe.createTags', { tags: quoted(d.tags), group: d.group });
    case 'editTag':
    case 'editGroup': {
      const changes = joined([
        d.rename !== null ? t('push.describe.rename', { name: d.rename }) : '',
        d.order !== null ? t('push.describe.order', { order: d.order }) : '',
      ]);
      return t(`push.describe.${d.action}`, { target: d.target, changes });
    }
    case 'delete':
      return joined([
        d.tags.length ? t('push.describe.deleteTags', { tags: quoted(d.tags) }) : '',
        d.groups.length ? t('push.describe.deleteGroups', { groups: quoted(d.groups) }) : '',
      ]);
    case 'other':
      return d.op;
  }
}
