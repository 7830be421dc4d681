import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { importWithProgress } from './import-stream.js';

/** A server whose one route runs `run` as an import would: progress as it writes, then done or failed. */
function serverRunning(run: (onProgress: (done: number, total: number) => void) => Promise<{ operationId: string; result: never }>) {
  const app = Fastify();
  app.post('/imports', (request, reply) => importWithProgress(request, reply, run));
  return app;
}

describe('the import progress stream', () => {
  it('ends with an error event carrying the envelope when the write fails after streaming began', async () => {
    const app = serverRunning(async (onProgress) => {
      onProgress(100, 300);
      throw new AppError('conflict', { message: 'a tag was deleted meanwhile', details: [{ path: 'line 3: tags', message: 'deleted' }] });
    });
    const res = await app.inject({ method: 'POST', url: '/imports', headers: { accept: 'text/event-stream' } });
    expect(res.statusCode).toBe(200);
    const blocks = res.body.trim().split('\n\n');
    expect(blocks[0]).toBe('event: progress\ndata: {"done":100,"total":300}');
    const [name, data] = blocks.at(-1)!.split('\n');
    expect(name).toBe('event: error');
    const failed = JSON.parse(data!.slice('data: '.length));
    expect(failed).toMatchObject({
      status: new AppError('conflict').status,
      error: { code: 'conflict', message: 'a tag was deleted meanwhile', details: [{ path: 'line 3: tags', message: 'deleted' }] },
    });
    expect(failed.error.requestId).toBeTruthy();
  });

  it('answers the ordinary error when the import fails before writing starts', async () => {
    const app = serverRunning(async () => {
      throw new AppError('validation_failed', { message: 'bad file' });
    });
    app.setErrorHandler((error, _request, reply) => reply.status((error as AppError).status).send({ code: (error as AppError).code }));
    const res = await app.inject({ method: 'POST', url: '/imports', headers: { accept: 'text/event-stream' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'validation_failed' });
  });
});
