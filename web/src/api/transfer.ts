import type { ApiError as ErrorEnvelope } from '../../../contracts/errors.js';
import { ApiError, type ErrorDetail } from './client.js';

/**
 * The header the server asks of a cookie-authenticated upload (see `uploadHeader` in
 * src/api/authenticate.ts): a page of another site cannot set it without a preflight, so a
 * cross-site CSV post riding the session cookie is refused.
 */
export const uploadHeader = 'tagloom-upload';

/** A non-2xx answer as an `ApiError` with the server's code, message and details. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let envelope: Partial<ErrorEnvelope> | undefined;
  try {
    envelope = (await response.json()) as Partial<ErrorEnvelope>;
  } catch {
    envelope = undefined;
  }
  return new ApiError(
    response.status,
    envelope?.error?.code ?? 'http_error',
    envelope?.error?.message ?? `HTTP ${response.status}`,
    envelope?.error?.details ?? [],
  );
}

/**
 * The file name the server gave in `Content-Disposition` (`filename*=UTF-8''…` or `filename="…"`),
 * else `fallback`: a download keeps the server's name (e.g. `customers-ww-demo-2026-12-06.csv`).
 */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8'[^']*')?([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(disposition);
  const name = (plain?.[1] ?? plain?.[2])?.trim();
  return name ? name : fallback;
}

/**
 * Downloads a file the API streams (CSV exports) with the session cookie, and hands it to the
 * browser under the server's file name. A refusal becomes an `ApiError` with the server's message,
 * which a bare `<a href>` could not show.
 */
export async function downloadFile(method: 'GET' | 'POST', path: string, body?: unknown): Promise<string> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'text/csv, application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  const response = await fetch(`/api/v1${path}`, init).catch((error: unknown) => {
    throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
  });
  if (!response.ok) throw await errorFromResponse(response);
  const name = fileNameOf(response.headers.get('content-disposition'), 'export.csv');
  saveBlob(await response.blob(), name);
  return name;
}

/** Hands a file made or fetched in the page to the browser's download, under `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** One Server-Sent Event as the import stream sends them: a name and its JSON data. */
export type StreamEvent = { event: string; data: unknown };

/**
 * The complete events in `text` from offset `from` on (a stream read so far), and the offset after
 * the last complete one, so the next read starts there; an event cut off mid-way waits for the rest.
 */
export function readEvents(text: string, from: number): { events: StreamEvent[]; next: number } {
  const events: StreamEvent[] = [];
  let next = from;
  for (let end = text.indexOf('\n\n', next); end !== -1; end = text.indexOf('\n\n', next)) {
    const fields = Object.fromEntries(
      text
        .slice(next, end)
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
    );
    if (fields.event && fields.data !== undefined) events.push({ event: fields.event, data: JSON.parse(fields.data) });
    next = end + 2;
  }
  return { events, next };
}

/** What an upload reports while it runs: bytes sent, then (when the server streams it) work written. */
export type UploadProgress = { onUpload?: (sent: number, total: number) => void; onProgress?: (done: number, total: number) => void };

/**
 * Posts a file as the raw body (`text/csv`) with the upload header; JSON back, or an `ApiError`
 * with the server's message. XMLHttpRequest rather than fetch, because only it reports how much of
 * a large file has been sent (`onUpload`: bytes sent, bytes in all). With `onProgress` it asks for
 * the server's progress stream (`POST /imports`): `progress` events as it writes, then `outcome`
 * or `error`; an answer that is not a stream (a refusal before writing) is read as JSON.
 */
export function uploadFile<T>(path: string, file: Blob, report: UploadProgress = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api/v1${path}`);
    request.withCredentials = true;
    request.setRequestHeader('accept', report.onProgress ? 'text/event-stream, application/json' : 'application/json');
    request.setRequestHeader('content-type', 'text/csv');
    request.setRequestHeader(uploadHeader, '1');
    const { onUpload, onProgress } = report;
    if (onUpload) request.upload.onprogress = (event) => onUpload(event.loaded, event.lengthComputable ? event.total : file.size);
    const streamed = () => (request.getResponseHeader('content-type') ?? '').startsWith('text/event-stream');
    let read = 0;
    let last: StreamEvent | undefined;
    const readMore = () => {
      const { events, next } = readEvents(request.responseText, read);
      read = next;
      for (const e of events) {
        if (e.event === 'progress') onProgress?.((e.data as { done: number }).done, (e.data as { total: number }).total);
        else last = e;
      }
    };
    request.onprogress = () => streamed() && readMore();
    request.onerror = () => reject(new ApiError(0, 'network', 'The upload did not reach the server.'));
    request.onload = () => {
      if (streamed()) {
        readMore();
        if (last?.event === 'outcome') return resolve(last.data as T);
        const failed = (last?.data ?? {}) as { status?: number; error?: { code?: string; message?: string; details?: ErrorDetail[] } };
        return reject(
          new ApiError(
            failed.status ?? 0,
            failed.error?.code ?? 'network',
            failed.error?.message ?? 'The import stream ended without an outcome.',
            failed.error?.details ?? [],
          ),
        );
      }
      const response = new Response(request.status === 204 ? null : request.responseText, {
        status: request.status,
        headers: { 'content-type': request.getResponseHeader('content-type') ?? '' },
      });
      if (response.ok) resolve(response.json() as Promise<T>);
      else void errorFromResponse(response).then(reject);
    };
    request.send(file);
  });
}
