import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import type { ImportOutcome } from './commands/import-customers.js';

// At most this often a progress event, so a large file does not flood the stream (the last is always sent).
const everyMs = 100;

/** True when the client asked for the import's progress as Server-Sent Events (the console does). */
export function wantsProgressStream(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/event-stream');
}

/**
 * Runs an import and, once it starts writing, answers as Server-Sent Events: `progress` events
 * (`{ done, total }`, rows of work written in its one transaction), then `outcome` (the 201's body,
 * sent after the commit) or `error` (`{ status, error }`, the envelope the JSON answer would have
 * carried; nothing was written). A file refused before writing starts (problems by line and
 * column, permissions) gets the ordinary JSON error, and one with nothing to write the ordinary 201.
 */
export async function importWithProgress(
  request: FastifyRequest,
  reply: FastifyReply,
  run: (onProgress: (done: number, total: number) => void) => Promise<ImportOutcome>,
): Promise<void> {
  let streaming = false;
  let last = 0;
  const send = (event: string, data: unknown) => reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const onProgress = (done: number, total: number) => {
    if (!streaming) {
      streaming = true;
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
    }
    const now = Date.now();
    if (done < total && now - last < everyMs) return;
    last = now;
    send('progress', { done, total });
  };
  try {
    const outcome = await run(onProgress);
    if (!streaming) {
      await reply.code(201).send(outcome);
      return;
    }
    send('outcome', outcome);
  } catch (error) {
    if (!streaming) throw error;
    // The transaction rolled back: the client learns why from the stream, as the JSON answer would say.
    const known = error instanceof AppError;
    if (!known) request.log.error({ err: error }, 'import failed while writing');
    const status = known ? error.status : 500;
    const body = known
      ? { code: error.code, message: error.message, ...(error.details?.length ? { details: error.details } : {}) }
      : { code: 'internal', message: 'Something went wrong on our side.' };
    send('error', { status, error: { ...body, requestId: request.id } });
  }
  reply.raw.end();
}
