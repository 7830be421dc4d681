import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** The largest callback body read; WeCom's envelopes are well under 4 KiB. A larger body is refused unread. */
export const callbackBodyLimit = 64 * 1024;

/** Why a body is not WeCom's XML (said in the log; the caller hears `callback_malformed`). */
export class CallbackXmlError extends Error {}

// Entities off and tag values kept as text: a callback carries ids such as "0012" that must not
// become numbers, and an entity can only be a trick (expansion bombs, external files).
const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: true,
});

/**
 * The fields of a flat `<xml>…</xml>` document (WeCom's envelope, or a decrypted event) as
 * strings; CDATA is read as text. A DOCTYPE or an entity declaration is refused outright, before
 * parsing, as is anything not well formed or not rooted at `<xml>`. Nested elements are dropped
 * (no event this module applies needs them).
 */
export function parseCallbackXml(text: string): Record<string, string> {
  if (text.length > callbackBodyLimit) throw new CallbackXmlError('the XML is too large');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new CallbackXmlError('a DOCTYPE or entity declaration is not accepted');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new CallbackXmlError(`the XML is not well formed (line ${valid.err.line})`);
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch {
    throw new CallbackXmlError('the XML does not parse');
  }
  const root = (doc as { xml?: unknown } | null)?.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw new CallbackXmlError('the document is not rooted at <xml>');
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(root as Record<string, unknown>)) {
    if (typeof value === 'string') fields[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') fields[name] = String(value);
  }
  return fields;
}
