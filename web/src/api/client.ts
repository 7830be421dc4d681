import i18next from 'i18next';
import type { ApiError as ErrorEnvelope } from '../../../contracts/errors.js';

/** One problem the server listed: where and what. */
export type ErrorDetail = { path?: string; message: string; [key: string]: unknown };

/**
 * A refused or failed API call, carrying the server's own code, message and details so the
 * console can show exactly what the server said (never a generic "something went wrong").
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Called when the session is gone (401), so the app can send the user to the login page. */
let onUnauthorized: () => void = () => {};

/** Registers what to do when a call answers 401 (the app routes to /login). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

/**
 * The one fetch of the console: `/api/v1` with the session cookie, JSON in and out. A non-2xx
 * answer becomes an `ApiError` from the error envelope; a 401 also calls the unauthorized handler.
 * `signal` lets a query drop a request nobody waits for any more.
 * @example const groups = await api<TagGroupListDto>('GET', '/tag-groups')
 */
export async function api<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' }, signal };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch (error) {
    throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json = text === '' ? undefined : safeJson(text);
  if (response.ok) return json as T;
  const envelope = json as Partial<ErrorEnvelope> | undefined;
  const error = new ApiError(
    response.status,
    envelope?.error?.code ?? 'http_error',
    envelope?.error?.message ?? `HTTP ${response.status}`,
    envelope?.error?.details ?? [],
  );
  if (response.status === 401 && path !== '/auth/login') onUnauthorized();
  throw error;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The server's message for an error, with its details, as one line for a toast. The server speaks
 * English; in Chinese the line starts with what the error code means (`errors` namespace), so a
 * user reads 没有权限执行此操作 first and still has the server's exact words after it.
 */
export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const details = error.details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message));
  const said = details.length > 0 ? `${error.message} (${details.join('; ')})` : error.message;
  const key = `errors:${error.code}`;
  const summary = i18next.language?.startsWith('zh') && i18next.exists(key) ? i18next.t(key) : undefined;
  return summary ? `${summary}：${said}` : said;
}
