import Fastify from 'fastify';

// The baseline: the smallest Fastify route, measured in the same run as Tagloom's routes so the
// ratio says how much of the machine's HTTP ceiling the real work keeps.
const app = Fastify({ logger: false });
app.post('/hello', async () => ({ errcode: 0, errmsg: 'ok', hello: 'world' }));
await app.listen({ port: Number(process.env.PORT ?? 3901), host: '127.0.0.1' });
process.stdout.write('ready\n');
