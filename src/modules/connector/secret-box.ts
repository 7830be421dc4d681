import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../../errors.js';

// Sealed values look like `v1.<iv>.<tag>.<ciphertext>` (base64url). The additional data binds a
// value to where it is stored (corp and column), so a sealed secret copied into another corp's row,
// or into another column, does not open.
const version = 'v1';

/**
 * The 32 key bytes written as 64 hex digits or as base64 (standard or URL-safe, padding optional),
 * or null. Strict on purpose: Node's base64 decoder skips characters it does not know, so a typed
 * passphrase with spaces or punctuation could otherwise decode to 32 weak bytes and be accepted.
 */
export function secretKeyBytes(text: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(text) || /^[A-Za-z0-9_-]{43}=?$/.test(text)) return Buffer.from(text, 'base64');
  return null;
}

/**
 * Seals and opens the WeCom secrets kept in `wecom_connections` with AES-256-GCM under the key from
 * `TAGLOOM_SECRET_KEY` (32 bytes, base64 or hex). The key lives only in the process's memory.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** A box from the environment's key text; throws on a key that is not 32 bytes. */
  static fromKeyText(text: string): SecretBox {
    const key = secretKeyBytes(text);
    if (!key) throw new Error('TAGLOOM_SECRET_KEY must be 32 bytes, as 64 hex digits or base64');
    return new SecretBox(key);
  }

  /** A box with a random key (tests, and a server whose secrets need not outlive it). */
  static random(): SecretBox {
    return new SecretBox(randomBytes(32));
  }

  /** Seals `plain` for the place it will be stored (e.g. `corp1/secret`). */
  seal(plain: string, place: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(place));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [version, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** Opens a sealed value stored at `place`; throws when it was sealed under another key or place, or altered. */
  open(sealed: string, place: string): string {
    const [v, iv, tag, body] = sealed.split('.');
    if (v !== version || !iv || !tag || body === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(place));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** The box, or the coded error an operator can act on when the server has no key. */
export function requireSecretBox(box: SecretBox | null | undefined): SecretBox {
  if (!box) throw new AppError('connector_key_missing');
  return box;
}
