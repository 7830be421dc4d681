import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { sealedPlace } from './connection.js';
import { requireSecretBox, SecretBox, secretKeyBytes } from './secret-box.js';

// The box that keeps WeCom secrets sealed at rest: a sealed value opens only with the same key, at
// the same place (corp and column), and unaltered; a bad key is refused at startup.

const secret = 'wecom-contact-secret-须保密';

describe('SecretBox', () => {
  it('opens what it sealed, and never stores the plaintext', () => {
    const box = SecretBox.random();
    const sealed = box.seal(secret, sealedPlace.secret('corp1'));
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain(Buffer.from(secret).toString('base64url'));
    expect(box.open(sealed, sealedPlace.secret('corp1'))).toBe(secret);
    expect(box.open(box.seal('', 'corp1/secret'), 'corp1/secret')).toBe('');
  });

  it('seals the same secret differently each time (a fresh IV)', () => {
    const box = SecretBox.random();
    expect(box.seal(secret, 'corp1/secret')).not.toBe(box.seal(secret, 'corp1/secret'));
  });

  it('does not open a value moved to another corp or another column', () => {
    const box = SecretBox.random();
    const sealed = box.seal(secret, sealedPlace.secret('corp1'));
    expect(() => box.open(sealed, sealedPlace.secret('corp2'))).toThrow();
    expect(() => box.open(sealed, sealedPlace.callbackToken('corp1'))).toThrow();
    expect(() => box.open(sealed, sealedPlace.accessToken('corp1'))).toThrow();
  });

  it('does not open a tampered value (ciphertext, tag, IV or version changed, or cut short)', () => {
    const box = SecretBox.random();
    const place = sealedPlace.aesKey('corp1');
    const sealed = box.seal(secret, place);
    const parts = sealed.split('.');
    const flip = (text: string) => {
      const bytes = Buffer.from(text, 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      return bytes.toString('base64url');
    };
    for (const index of [1, 2, 3]) {
      const altered = parts.map((part, i) => (i === index ? flip(part) : part)).join('.');
      expect(() => box.open(altered, place)).toThrow();
    }
    expect(() => box.open(['v2', ...parts.slice(1)].join('.'), place)).toThrow();
    expect(() => box.open(parts.slice(0, 3).join('.'), place)).toThrow();
    expect(() => box.open(`${sealed}AA`, place)).toThrow();
    expect(() => box.open('', place)).toThrow();
    expect(() => box.open(secret, place)).toThrow();
  });

  it('does not open a value sealed under another key', () => {
    const sealed = SecretBox.random().seal(secret, 'corp1/secret');
    expect(() => SecretBox.random().open(sealed, 'corp1/secret')).toThrow();
  });

  it('accepts a 32-byte key as 64 hex digits or base64 (standard or URL-safe), and the same key opens across boxes', () => {
    const key = randomBytes(32);
    const texts = [
      key.toString('hex'),
      key.toString('hex').toUpperCase(),
      key.toString('base64'),
      key.toString('base64').replace(/=$/, ''),
      key.toString('base64url'),
    ];
    const sealed = SecretBox.fromKeyText(texts[0] as string).seal(secret, 'corp1/secret');
    for (const text of texts) expect(SecretBox.fromKeyText(text).open(sealed, 'corp1/secret')).toBe(secret);
  });

  it('refuses key text that is not exactly 32 bytes of hex or base64, without echoing it', () => {
    const bad = [
      '',
      'short',
      randomBytes(31).toString('hex'),
      randomBytes(33).toString('hex'),
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('base64'),
      `${randomBytes(32).toString('hex').slice(0, 63)}g`,
      // A typed passphrase: Node's base64 decoder would skip the spaces and punctuation and find 32 bytes.
      'correct horse battery staple, my key; it is the secret!',
      ` ${randomBytes(32).toString('base64')}`,
    ];
    // (the passphrase really does decode to 32 bytes when read loosely: the strict reading is what refuses it)
    expect(Buffer.from('correct horse battery staple, my key; it is the secret!', 'base64')).toHaveLength(32);
    for (const text of bad) {
      expect(secretKeyBytes(text)).toBeNull();
      let message = '';
      try {
        SecretBox.fromKeyText(text);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/TAGLOOM_SECRET_KEY must be 32 bytes/);
      if (text.length > 5) expect(message).not.toContain(text.trim());
    }
  });

  it('requireSecretBox: no box is the coded error an operator can act on', () => {
    expect(() => requireSecretBox(null)).toThrow(AppError);
    expect(() => requireSecretBox(undefined)).toThrow(expect.objectContaining({ code: 'connector_key_missing' }));
    const box = SecretBox.random();
    expect(requireSecretBox(box)).toBe(box);
  });
});
