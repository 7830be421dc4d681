import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers a sender signs with (README.md of this module describes the scheme). */
export const signatureHeaders = { timestamp: 'x-tagloom-timestamp', delivery: 'x-tagloom-delivery', signature: 'x-tagloom-signature' } as const;

/** How far a delivery's timestamp may be from the server's clock, either way. */
export const toleranceSeconds = 300;

/** A delivery id: printable ASCII, 1–128 characters (a UUID, a CRM's event id). */
const deliveryIdPattern = /^[\x21-\x7e]{1,128}$/;

/**
 * The signature of a delivery: HMAC-SHA256 of `${timestamp}.${rawBody}` under the source's secret,
 * as `sha256=<hex>`. Senders compute exactly this; tests sign with it.
 * @example signDelivery('s3cret', '1765000000', Buffer.from('{"a":1}')) // → 'sha256=…'
 */
export function signDelivery(secret: string, timestamp: string, rawBody: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

/** Why a delivery's headers are refused: a code for the sender and a reason for the log. */
export type SignatureFailure = { code: 'signature_missing' | 'signature_invalid' | 'timestamp_out_of_range'; reason: string };

/**
 * Checks a delivery's headers against the raw body bytes: all three present and well formed, the
 * timestamp within ±300 s of `now`, and the signature equal (in constant time) to ours. Returns the
 * delivery id, or the failure. The body is not parsed until this has passed.
 */
export function verifyDelivery(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer,
  now: Date,
): { deliveryId: string } | SignatureFailure {
  const one = (name: string) => {
    const value = headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const timestamp = one(signatureHeaders.timestamp);
  const deliveryId = one(signatureHeaders.delivery);
  const signature = one(signatureHeaders.signature);
  const missing = Object.values(signatureHeaders).filter((name) => one(name) === undefined);
  if (missing.length > 0) return { code: 'signature_missing', reason: `missing header(s): ${missing.join(', ')}` };
  if (!deliveryIdPattern.test(deliveryId!))
    return { code: 'signature_missing', reason: `${signatureHeaders.delivery} must be 1–128 printable ASCII characters` };
  if (!/^\d{1,15}$/.test(timestamp!)) return { code: 'signature_invalid', reason: `${signatureHeaders.timestamp} must be unix seconds` };
  const skew = Number(timestamp) - Math.floor(now.getTime() / 1000);
  if (Math.abs(skew) > toleranceSeconds)
    return {
      code: 'timestamp_out_of_range',
      reason: `timestamp is ${Math.abs(skew)} s ${skew < 0 ? 'old' : 'in the future'}; at most ${toleranceSeconds} s either way`,
    };
  const expected = Buffer.from(signDelivery(secret, timestamp!, rawBody));
  const given = Buffer.from(signature!);
  // timingSafeEqual needs equal lengths; a length mismatch reveals nothing the format does not.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { code: 'signature_invalid', reason: 'the signature does not match' };
  return { deliveryId: deliveryId! };
}
