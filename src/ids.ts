import { createHash, randomBytes } from 'node:crypto';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random string over [A-Za-z0-9]; rejection sampling keeps every character equally likely. */
export function randomToken(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += alphabet[byte % 62];
    }
  }
  return out;
}

/** Opaque ids in WeCom's style: `et…` for corp tags and groups, `pt…` personal, `wm…` customers. */
export const newId = {
  tag: () => `et${randomToken(30)}`,
  group: () => `et${randomToken(30)}`,
  personalTag: () => `pt${randomToken(30)}`,
  customer: () => `wm${randomToken(30)}`,
  operation: () => `op${randomToken(22)}`,
  audience: () => `au${randomToken(22)}`,
  joinWay: () => `jw${randomToken(30)}`,
  request: () => `req${randomToken(16)}`,
};

/** SHA-256 in hex: secrets, tokens and API keys are stored only as this. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
