import { encrypt } from '@wecom/crypto';
import { callbackSignature } from './callback-crypto.js';

/** Seals a message as WeCom does (tests and fakes only): `@wecom/crypto`'s encrypt, the reference. */
export function encryptCallback(aesKey: string, message: string, receiveId: string): string {
  return encrypt(aesKey, message, receiveId);
}

/** The query and XML body of a callback POST as WeCom would send it for `message` (tests only). */
export function sealedCallback(
  secrets: { token: string; aesKey: string; wecomCorpid: string },
  message: string,
  opts: { timestamp?: number; nonce?: string } = {},
): { query: string; body: string; encrypted: string } {
  const encrypted = encryptCallback(secrets.aesKey, message, secrets.wecomCorpid);
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? Math.random().toString(36).slice(2, 12);
  const signature = callbackSignature(secrets.token, timestamp, nonce, encrypted);
  const query = new URLSearchParams({ msg_signature: signature, timestamp, nonce }).toString();
  const body = `<xml><ToUserName><![CDATA[${secrets.wecomCorpid}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
  return { query, body, encrypted };
}

/** A decrypted change event's XML, as WeCom's §6.2 examples lay it out (tests only). */
export function eventXml(fields: Record<string, string>): string {
  const inner = Object.entries({ ToUserName: 'corp', FromUserName: 'sys', CreateTime: String(Math.floor(Date.now() / 1000)), MsgType: 'event', ...fields })
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('');
  return `<xml>${inner}</xml>`;
}
