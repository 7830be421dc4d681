import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

/** How far a callback's timestamp may be from the server's clock, either way (a replay window). */
export const callbackToleranceSeconds = 300;

/**
 * WeCom's callback signature: sha1 of the token, timestamp, nonce and ciphertext sorted as
 * strings and joined (wecom-api.md §6.3). The same value `@wecom/crypto`'s getSignature gives.
 */
export function callbackSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
}

/** True when `given` is the signature of the parts, compared in constant time (a guessed prefix reveals nothing). */
export function signatureMatches(token: string, timestamp: string, nonce: string, encrypted: string, given: string): boolean {
  const expected = Buffer.from(callbackSignature(token, timestamp, nonce, encrypted));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Why a ciphertext does not decrypt; said in the log, never to the caller in more words than "malformed". */
export class CallbackDecryptError extends Error {}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The 32-byte AES key an EncodingAESKey (43 characters of base64 without its `=`) stands for. */
export function aesKeyOf(encodingAesKey: string): Buffer {
  if (!/^[A-Za-z0-9]{43}$/.test(encodingAesKey)) throw new CallbackDecryptError('the EncodingAESKey must be 43 letters and digits');
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

/**
 * Decrypts a callback ciphertext: AES-256-CBC, IV = the key's first 16 bytes, PKCS#7 padding to a
 * 32-byte multiple (so Node's 16-byte unpadder is off and the padding is checked here), plaintext
 * = random(16) + length(4, big-endian) + message + receiveid. The receiveid must be `receiveId`
 * (the connection's corpid): a message sealed for another corp is refused.
 */
export function decryptCallback(encodingAesKey: string, encrypted: string, receiveId: string): string {
  const key = aesKeyOf(encodingAesKey);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted)) throw new CallbackDecryptError('the ciphertext is not base64');
  const cipher = Buffer.from(encrypted, 'base64');
  if (cipher.length === 0 || cipher.length % 32 !== 0) throw new CallbackDecryptError('the ciphertext is not a whole number of 32-byte blocks');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(cipher), decipher.final()]);
  } catch {
    throw new CallbackDecryptError('the ciphertext does not decrypt');
  }
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > 32 || plain.subarray(plain.length - pad).some((b) => b !== pad)) throw new CallbackDecryptError('the padding is wrong');
  const content = plain.subarray(0, plain.length - pad);
  if (content.length < 20) throw new CallbackDecryptError('the plaintext is too short');
  const length = content.readUInt32BE(16);
  if (20 + length > content.length) throw new CallbackDecryptError('the message length runs past the plaintext');
  const message = content.subarray(20, 20 + length);
  const id = content.subarray(20 + length).toString('utf8');
  if (id !== receiveId) throw new CallbackDecryptError('the message was sealed for another receiver');
  try {
    return strictUtf8.decode(message);
  } catch {
    throw new CallbackDecryptError('the message is not UTF-8');
  }
}
