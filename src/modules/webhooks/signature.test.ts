import { describe, expect, it } from 'vitest';
import { signDelivery, verifyDelivery } from './signature.js';

const secret = 'whsec_test';
const now = new Date('2026-12-06T12:00:00Z');
const ts = String(now.getTime() / 1000);
const body = Buffer.from('{"order":"o1"}');
const headers = (over: Record<string, string | undefined> = {}) => ({
  'x-tagloom-timestamp': ts,
  'x-tagloom-delivery': 'd-1',
  'x-tagloom-signature': signDelivery(secret, ts, body),
  ...over,
});

describe('verifyDelivery', () => {
  it('accepts a delivery signed over timestamp and raw body', () => {
    expect(verifyDelivery(secret, headers(), body, now)).toEqual({ deliveryId: 'd-1' });
  });

  it('matches the documented scheme: HMAC-SHA256(secret, "ts.body") in hex', () => {
    // Computed independently: printf '1796558400.{"order":"o1"}' | openssl dgst -sha256 -hmac whsec_test
    expect(signDelivery(secret, '1796558400', body)).toBe('sha256=d4cc86a6ba41f59bdbdc02f1bddf74e90bee4cb67e6f9a8b6940ee9794271a7a');
    expect(signDelivery(secret, ts, body)).not.toEqual(signDelivery(secret, ts, Buffer.from('{"order": "o1"}')));
  });

  it.each([
    ['another secret', { 'x-tagloom-signature': signDelivery('other', ts, body) }, 'signature_invalid'],
    ['a body re-serialized', { 'x-tagloom-signature': signDelivery(secret, ts, Buffer.from('{ "order":"o1" }')) }, 'signature_invalid'],
    ['the signature without prefix', { 'x-tagloom-signature': signDelivery(secret, ts, body).slice(7) }, 'signature_invalid'],
    ['upper-case hex', { 'x-tagloom-signature': `sha256=${signDelivery(secret, ts, body).slice(7).toUpperCase()}` }, 'signature_invalid'],
    ['a timestamp 301 s old', { 'x-tagloom-timestamp': String(Number(ts) - 301) }, 'timestamp_out_of_range'],
    ['a timestamp 301 s ahead', { 'x-tagloom-timestamp': String(Number(ts) + 301) }, 'timestamp_out_of_range'],
    ['a timestamp in milliseconds', { 'x-tagloom-timestamp': String(now.getTime()) }, 'timestamp_out_of_range'],
    ['a timestamp that is not a number', { 'x-tagloom-timestamp': '12:00' }, 'signature_invalid'],
    ['no signature', { 'x-tagloom-signature': undefined }, 'signature_missing'],
    ['no timestamp', { 'x-tagloom-timestamp': undefined }, 'signature_missing'],
    ['no delivery id', { 'x-tagloom-delivery': undefined }, 'signature_missing'],
    ['a delivery id with spaces', { 'x-tagloom-delivery': 'a b' }, 'signature_missing'],
    ['a delivery id over 128 characters', { 'x-tagloom-delivery': 'x'.repeat(129) }, 'signature_missing'],
  ])('refuses %s', (_label, over, code) => {
    expect(verifyDelivery(secret, headers(over), body, now)).toMatchObject({ code });
  });

  it('accepts the edges of the tolerance', () => {
    for (const skew of [-300, 300]) {
      const t = String(Number(ts) + skew);
      expect(verifyDelivery(secret, headers({ 'x-tagloom-timestamp': t, 'x-tagloom-signature': signDelivery(secret, t, body) }), body, now)).toEqual({
        deliveryId: 'd-1',
      });
    }
  });
});
