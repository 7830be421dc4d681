/** The OpenAPI tag of outbound webhook subscriptions and deliveries. */
export const webhooksOutTag = 'Outbound webhooks';

/** What a receiver gets, as the OpenAPI document states it (docs/webhooks-outbound.md has the rest). */
export const webhooksOutDescription = [
  'Tagloom POSTs each event a subscription selects (`tag.*`, exact types or `*`) to its URL as JSON `{ id, type, occurredAt, corpId, source, subject, data }`,',
  "`data.wecom` shaped like WeCom's change event where one exists. Headers: `X-Tagloom-Event`, `X-Tagloom-Delivery` and `Idempotency-Key` (the same across retries and replays),",
  '`X-Tagloom-Timestamp` (unix seconds) and `X-Tagloom-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`.',
  'A 2xx answer within 10 s delivers; anything else (redirects included) is retried with exponential backoff and jitter, and after 10 attempts the delivery is dead: listed, and replayable.',
  'URLs must be http(s) without user:password and must not point at private, loopback or link-local addresses unless the server sets `TAGLOOM_WEBHOOK_ALLOW_PRIVATE`.',
].join(' ');
