import { createCipheriv, createHash, randomBytes } from 'node:crypto';

// WeCom's callback crypto (wecom-api.md §6.3), written out here rather than taken from
// `@wecom/crypto` so that the fake's tests can cross-check one against the other.

/** The decrypted fields of one callback (`Event`, `ChangeType`, `UserID`, `Id`, `TagType`…). */
export type CallbackFields = Record<string, string | number>;

/** What a callback is signed and encrypted with: the app's Token and EncodingAESKey, and the receiver id (CorpID). */
export type CallbackConfig = { corpid: string; token: string; encodingAesKey: string };

/** Encrypts a message as WeCom does: random(16) + length(4, big-endian) + message + receiveid, 32-byte PKCS#7, AES-256-CBC. */
export function encryptMessage(encodingAesKey: string, message: string, receiveid: string, random: Buffer = randomBytes(16)): string {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new Error('fake WeCom: an EncodingAESKey is 43 characters of base64');
  const text = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(text.length, 0);
  const plain = Buffer.concat([random, length, text, Buffer.from(receiveid, 'utf8')]);
  const padding = 32 - (plain.length % 32);
  const padded = Buffer.concat([plain, Buffer.alloc(padding, padding)]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

/** `msg_signature`: sha1 of token, timestamp, nonce and the ciphertext, sorted and joined. */
export function callbackSignature(token: string, timestamp: string | number, nonce: string, encrypted: string): string {
  return createHash('sha1')
    .update([token, String(timestamp), nonce, encrypted].sort().join(''))
    .digest('hex');
}

function cdata(value: string): string {
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** The plaintext XML of a callback: strings in CDATA, numbers bare, in the given field order. */
export function callbackXml(fields: CallbackFields): string {
  const parts = Object.entries(fields).map(([name, value]) => `<${name}>${typeof value === 'number' ? String(value) : cdata(value)}</${name}>`);
  return `<xml>${parts.join('')}</xml>`;
}

/** The POSTed envelope: ToUserName, AgentID and the encrypted message. */
export function envelopeXml(corpid: string, encrypted: string, agentId = ''): string {
  return `<xml><ToUserName>${cdata(corpid)}</ToUserName><AgentID>${cdata(agentId)}</AgentID><Encrypt>${cdata(encrypted)}</Encrypt></xml>`;
}

/** Options of one delivery: a fixed timestamp (seconds), nonce or random prefix, or a broken signature. */
export type DeliveryOptions = { timestamp?: number; nonce?: string; badSignature?: boolean; random?: Buffer; now?: () => number };

/** A callback request ready to send: the query (`msg_signature`, `timestamp`, `nonce`) and the XML body. */
export type CallbackRequest = { query: { msg_signature: string; timestamp: string; nonce: string }; body: string; encrypted: string };

/** Builds the request WeCom would POST for `fields` (usable with `fetch` or Fastify's `inject`). */
export function callbackRequest(fields: CallbackFields, cfg: CallbackConfig & DeliveryOptions): CallbackRequest {
  const timestamp = String(cfg.timestamp ?? Math.floor((cfg.now ?? Date.now)() / 1000));
  const nonce = cfg.nonce ?? randomBytes(6).toString('hex');
  const encrypted = encryptMessage(cfg.encodingAesKey, callbackXml(fields), cfg.corpid, cfg.random);
  let signature = callbackSignature(cfg.token, timestamp, nonce, encrypted);
  if (cfg.badSignature) signature = signature.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  return { query: { msg_signature: signature, timestamp, nonce }, body: envelopeXml(cfg.corpid, encrypted), encrypted };
}

/** The GET handshake WeCom makes when the callback URL is saved: an encrypted `echostr` the receiver must decrypt and echo. */
export type VerifyRequest = { query: { msg_signature: string; timestamp: string; nonce: string; echostr: string }; echostr: string };

/** Builds the URL-verification query; `echostr` is the plaintext the receiver must answer with. */
export function verifyRequest(cfg: CallbackConfig & DeliveryOptions & { echostr?: string }): VerifyRequest {
  const timestamp = String(cfg.timestamp ?? Math.floor((cfg.now ?? Date.now)() / 1000));
  const nonce = cfg.nonce ?? randomBytes(6).toString('hex');
  const echostr = cfg.echostr ?? randomBytes(9).toString('hex');
  const encrypted = encryptMessage(cfg.encodingAesKey, echostr, cfg.corpid, cfg.random);
  let signature = callbackSignature(cfg.token, timestamp, nonce, encrypted);
  if (cfg.badSignature) signature = signature.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  return { query: { msg_signature: signature, timestamp, nonce, echostr: encrypted }, echostr };
}

/** A fresh EncodingAESKey (43 base64 characters without the trailing `=`). */
export function newEncodingAesKey(): string {
  // base64 of 32 bytes is 44 characters ending in '='; WeCom's key is those first 43.
  return randomBytes(32).toString('base64').slice(0, 43).replaceAll('+', 'A').replaceAll('/', 'B');
}
