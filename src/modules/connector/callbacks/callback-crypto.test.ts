import { randomBytes } from 'node:crypto';
import { getSignature, decrypt as wecomDecrypt, encrypt as wecomEncrypt } from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import { encryptMessage } from '../fake-wecom.test-support.js';
import { CallbackDecryptError, callbackSignature, decryptCallback, signatureMatches } from './callback-crypto.js';

const aesKey = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const corpid = 'wwcorp0001';

describe('callback crypto', () => {
  it('signs as @wecom/crypto does and compares in full', () => {
    const sig = getSignature('tok', '1700000000', 'n0nce', 'ENC');
    expect(callbackSignature('tok', '1700000000', 'n0nce', 'ENC')).toBe(sig);
    expect(signatureMatches('tok', '1700000000', 'n0nce', 'ENC', sig)).toBe(true);
    expect(signatureMatches('tok', '1700000000', 'n0nce', 'ENC', sig.slice(0, -1))).toBe(false);
    expect(signatureMatches('tok', '1700000001', 'n0nce', 'ENC', sig)).toBe(false);
  });

  it('decrypts what @wecom/crypto encrypts, every length across the 32-byte padding', () => {
    for (let n = 0; n < 70; n++) {
      const message = `<xml>${'好x'.repeat(n)}</xml>`;
      expect(decryptCallback(aesKey, wecomEncrypt(aesKey, message, corpid), corpid)).toBe(message);
    }
  });

  it("the fake WeCom's encryption is what @wecom/crypto and this decrypt read", () => {
    const sealed = encryptMessage(aesKey, '<xml>hi</xml>', corpid);
    expect(wecomDecrypt(aesKey, sealed)).toMatchObject({ message: '<xml>hi</xml>', id: corpid });
    expect(decryptCallback(aesKey, sealed, corpid)).toBe('<xml>hi</xml>');
  });

  it('refuses a message sealed for another corp, a wrong key, and bytes that are not a ciphertext', () => {
    const sealed = wecomEncrypt(aesKey, '<xml/>', 'wwother');
    expect(() => decryptCallback(aesKey, sealed, corpid)).toThrow(CallbackDecryptError);
    const otherKey = 'A'.repeat(43);
    expect(() => decryptCallback(otherKey, wecomEncrypt(aesKey, '<xml/>', corpid), corpid)).toThrow(CallbackDecryptError);
    for (const junk of ['', 'not base64!', Buffer.from('short').toString('base64'), randomBytes(64).toString('base64')])
      expect(() => decryptCallback(aesKey, junk, corpid)).toThrow(CallbackDecryptError);
    expect(() => decryptCallback('too-short', sealed, corpid)).toThrow(CallbackDecryptError);
  });
});
