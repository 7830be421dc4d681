import { describe, expect, it } from 'vitest';
import { absoluteCallbackUrl, connectionPatterns, minutesSince, randomAlphanumeric, randomCallbackToken, randomEncodingAesKey } from './connector-logic.js';

describe('connector form helpers', () => {
  it('generates a token and an EncodingAESKey WeCom and the server accept, different each time', () => {
    const key = randomEncodingAesKey();
    expect(key).toMatch(connectionPatterns.encodingAesKey);
    expect(randomCallbackToken()).toMatch(connectionPatterns.callbackToken);
    expect(randomEncodingAesKey()).not.toBe(key);
  });

  it('skips the bytes that would bias the letters, and still fills the length', () => {
    let calls = 0;
    const biased = (bytes: Uint8Array) => bytes.fill(calls++ === 0 ? 255 : 1);
    expect(randomAlphanumeric(5, biased)).toBe('BBBBB');
  });

  it('makes the callback path absolute on this server, and counts minutes since a time', () => {
    expect(absoluteCallbackUrl('/hooks/wecom/c1', 'https://tags.example.com')).toBe('https://tags.example.com/hooks/wecom/c1');
    expect(minutesSince(null)).toBeNull();
    expect(minutesSince('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:12:30Z'))).toBe(12);
  });
});
