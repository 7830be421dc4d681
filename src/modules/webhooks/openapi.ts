/** The OpenAPI tag of webhook sources and the inbound hook, with the signing scheme senders follow. */
export const webhooksTag = 'Webhooks';

/** The signing scheme, as the OpenAPI document and README.md state it. */
export const signingSchemeDescription = [
  'Signed inbound webhooks from a CRM, shop or other system. Each source has its own URL (`POST /hooks/<sourceId>`) and secret (shown once, at creation and rotation).',
  "Every delivery carries three headers: `X-Tagloom-Timestamp` (unix seconds), `X-Tagloom-Delivery` (the sender's unique id for this delivery, 1–128 printable ASCII characters) and",
  '`X-Tagloom-Signature: sha256=<hex>`, the lower-case hex HMAC-SHA256 under the secret of `<timestamp>.<raw body bytes>`. The body is JSON, at most 256 KiB.',
  "A timestamp more than 300 s from the server's clock is refused (401), as is a wrong or missing signature (401); a delivery id already accepted for the source is refused (409) and recorded once;",
  'a payload the mapping cannot read is refused (400), one naming an unknown customer too (422). Every delivery to an existing source is logged with its outcome (`GET /api/v1/webhook-sources/{sourceId}/deliveries`).',
  'An accepted one records the behaviour fact `webhook.<eventType>` (audiences: `event:webhook.order.paid`) and the event `webhook.received` for tagging rules, and answers 202.',
].join(' ');
