import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';

// The baselines: the smallest Fastify route, and one that sends a prebuilt body of the same bytes
// as the tag list, measured in the same run as Tagloom's routes so each ratio says how much of
// the machine's HTTP ceiling the real work keeps.
// Bytes, as Tagloom keeps its rendered listing: neither side encodes the body per request.
const big = process.env.BIG_BODY_FILE ? readFileSync(process.env.BIG_BODY_FILE) : Buffer.from('{}');
const bigGzipped = gzipSync(big);
const app = Fastify({ logger: false });
app.post('/hello', async () => ({ errcode: 0, errmsg: 'ok', hello: 'world' }));
app.post('/big', async (request, reply) => {
  reply.type('application/json; charset=utf-8');
  if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) return reply.header('content-encoding', 'gzip').send(bigGzipped);
  return reply.send(big);
});
await app.listen({ port: Number(process.env.PORT ?? 3901), host: '127.0.0.1' });
process.stdout.write('ready\n');
