/**
 * The closed list of error codes. Each maps to an HTTP status for `/api/v1` and a WeCom errcode for
 * `/cgi-bin`, so one `AppError` thrown in a command reads right on both surfaces.
 */
export const errorCodes = {
  validation_failed: { status: 400, errcode: 40058, message: 'The request is not valid.' },
  name_missing: { status: 400, errcode: 41018, message: 'A name is required.' },
  name_too_long: { status: 400, errcode: 40072, message: 'The name is empty or longer than the limit.' },
  id_missing: { status: 400, errcode: 41017, message: 'A tag or group id is required.' },
  userid_missing: { status: 400, errcode: 40003, message: 'A userid is required.' },
  external_userid_missing: { status: 400, errcode: 41035, message: 'An external_userid is required.' },
  corpid_missing: { status: 400, errcode: 41002, message: 'corpid missing' },
  secret_missing: { status: 400, errcode: 41004, message: 'corpsecret missing' },
  unauthorized: { status: 401, errcode: 41001, message: 'Authentication is required.' },
  invalid_token: { status: 401, errcode: 40014, message: 'The access token is not valid.' },
  token_expired: { status: 401, errcode: 42001, message: 'The access token has expired.' },
  invalid_corpid: { status: 401, errcode: 40013, message: 'The corpid is not valid.' },
  invalid_secret: { status: 401, errcode: 40001, message: 'The secret is not valid.' },
  forbidden: { status: 403, errcode: 60011, message: 'You may not do this.' },
  api_forbidden: { status: 403, errcode: 48002, message: 'This API is not permitted for this app; call it with the customer-contact secret.' },
  not_found: { status: 404, errcode: 40068, message: 'Not found.' },
  tag_not_found: { status: 404, errcode: 40068, message: 'The tag or tag group does not exist.' },
  employee_not_found: { status: 404, errcode: 40003, message: 'The employee (userid) does not exist.' },
  employee_inactive: { status: 409, errcode: 40003, message: 'The employee has left; only an active employee can take over customers.' },
  department_not_found: { status: 404, errcode: 60123, message: 'The department (partyid) does not exist.' },
  strategy_not_found: { status: 404, errcode: 40068, message: 'The rule group (strategy_id) does not exist.' },
  customer_not_found: { status: 404, errcode: 40096, message: 'The customer (external_userid) does not exist.' },
  contact_way_not_found: { status: 404, errcode: 40058, message: 'The contact way (config_id) does not exist.' },
  chat_not_found: { status: 404, errcode: 40050, message: 'The group chat (chat_id) does not exist.' },
  join_way_not_found: { status: 404, errcode: 40058, message: 'The join way (config_id) does not exist.' },
  no_relation: { status: 404, errcode: 84061, message: 'The employee and the customer have no follow relation.' },
  name_taken: { status: 409, errcode: 40071, message: 'The name is already used.' },
  conflict: { status: 409, errcode: 40058, message: 'The request conflicts with the current state.' },
  limit_exceeded: { status: 422, errcode: 40058, message: 'A limit would be exceeded.' },
  audience_empty: { status: 422, errcode: 40058, message: 'The post would reach no customer.' },
  restore_expired: { status: 410, errcode: 40068, message: 'Deleted more than 30 days ago; it can no longer be restored.' },
  invalid_cursor: { status: 400, errcode: 50100, message: 'The pagination cursor is not valid.' },
  signature_missing: {
    status: 401,
    errcode: 40001,
    message: 'The webhook delivery lacks its signature headers (X-Tagloom-Timestamp, X-Tagloom-Delivery, X-Tagloom-Signature).',
  },
  signature_invalid: { status: 401, errcode: 40001, message: 'The webhook signature does not match.' },
  timestamp_out_of_range: { status: 401, errcode: 40001, message: "The webhook timestamp is more than 300 seconds from the server's clock." },
  delivery_replayed: { status: 409, errcode: 40058, message: 'This delivery id was already accepted for this source.' },
  mapping_failed: { status: 400, errcode: 40058, message: "The payload does not fit the source's mapping." },
  unmapped_customer: { status: 422, errcode: 40096, message: 'The customer the payload names does not exist.' },
  payload_too_large: { status: 413, errcode: 40058, message: 'The request body is larger than the limit.' },
  rate_limited: { status: 429, errcode: 45009, message: 'Too many attempts; try again later.' },
  moment_id_missing: { status: 400, errcode: 41059, message: 'A moment_id is required.' },
  moment_not_found: { status: 404, errcode: 41060, message: 'The moment (moment_id) does not exist.' },
  moment_too_many_attachments: { status: 400, errcode: 41064, message: 'A moment takes at most 9 images, or 1 video, or 1 link.' },
  moment_attachment_type: { status: 400, errcode: 41065, message: 'A moment takes one kind of attachment: images, a video or a link.' },
  moment_content_empty: { status: 400, errcode: 41089, message: 'A moment needs text or attachments.' },
  connector_not_configured: { status: 409, errcode: 40058, message: 'This corp is not connected to WeCom yet; save the connection first.' },
  connector_key_missing: {
    status: 503,
    errcode: -1,
    message: 'TAGLOOM_SECRET_KEY is not set on the server, so WeCom secrets cannot be stored or read.',
  },
  wecom_upstream_failed: { status: 502, errcode: -1, message: 'WeCom answered with an error; nothing was changed here.' },
  callback_signature_invalid: { status: 401, errcode: 40001, message: 'The callback signature (msg_signature) does not match.' },
  callback_timestamp_stale: { status: 401, errcode: 40001, message: "The callback timestamp is more than 300 seconds from the server's clock." },
  callback_malformed: { status: 400, errcode: 40058, message: 'The callback body is not the encrypted XML WeCom sends, or does not decrypt.' },
  webhook_url_forbidden: {
    status: 400,
    errcode: 40058,
    message: 'The URL must be http(s) and, unless the server allows it, must not point at a private or loopback address.',
  },
  jssdk_url_invalid: { status: 400, errcode: 40058, message: "The url is not this server's sidebar page; only that page is signed for the JS-SDK." },
  internal: { status: 500, errcode: -1, message: 'Something went wrong on our side.' },
  unavailable: { status: 503, errcode: -1, message: 'The database cannot be reached right now; nothing was changed. Try again shortly.' },
} as const;

/** One of the closed list of error codes. */
export type ErrorCode = keyof typeof errorCodes;

/** A detail of an error: a path into the request and what is wrong there. */
export type ErrorDetail = { path?: string; message: string; [key: string]: unknown };

/**
 * The one error type of the domain. Commands throw it; each surface's error handler renders it.
 * @example throw new AppError('name_taken', { message: `A tag named "${name}" exists in this group.` })
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetail[];

  constructor(code: ErrorCode, opts: { message?: string; details?: ErrorDetail[]; cause?: unknown } = {}) {
    super(opts.message ?? errorCodes[code].message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = opts.details;
  }

  /** The HTTP status the native API answers with. */
  get status(): number {
    return errorCodes[this.code].status;
  }

  /** The errcode the WeCom-compatible API answers with. */
  get errcode(): number {
    return errorCodes[this.code].errcode;
  }
}
