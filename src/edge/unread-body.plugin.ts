import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import fp from 'fastify-plugin';

/** How long a closing connection keeps reading (and dropping) a body its answer did not need. */
export const lingerMs = 5_000;

const lingering = Symbol('tagloom.lingering');
type LingerSocket = Socket & { [lingering]?: boolean };

/**
 * Closes a connection only once the client has stopped sending: its answer and FIN go out at once,
 * but what still arrives is read and dropped until the client closes (or `lingerMs` passes). Closing
 * outright while a body is in flight makes the kernel answer the next bytes with a reset, and the
 * client's unread copy of our answer (a 413, say) is thrown away with it.
 */
function lingerOnClose(socket: LingerSocket): void {
  if (socket[lingering]) return;
  socket[lingering] = true;
  // Node's HTTP server ends a connection that will not be kept alive through destroySoon().
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), lingerMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.once('end', () => socket.destroy());
    socket.resume();
  };
}

/**
 * Answers to requests whose body is refused or never read (too large, unauthenticated, unknown
 * route) reach the client intact, whatever the framing: with a content length or chunked, with
 * keep-alive or `Connection: close`, with or without `Expect: 100-continue`. A body the client is
 * still sending is drained, keeping the connection when the client wants it kept; a body over the
 * route's limit announced with `Expect: 100-continue` is never invited (no `100 Continue`).
 */
export const unreadBodyPlugin = fp(
  async (app) => {
    // Requests whose `100 Continue` is held back until the route (and its body limit) is known, or
    // was never sent because the body is refused unread.
    const heldContinue = new WeakSet<IncomingMessage>();
    app.server.on('checkContinue', (request, response) => {
      heldContinue.add(request);
      app.server.emit('request', request, response);
    });

    // Every onRequest hook (authentication included) has passed: invite the body unless it is
    // announced larger than the route takes, in which case Fastify answers 413 without reading it.
    app.addHook('preParsing', async (request, reply) => {
      if (!heldContinue.has(request.raw)) return;
      const length = Number(request.headers['content-length']);
      if (length > request.routeOptions.bodyLimit || reply.raw.headersSent) return;
      heldContinue.delete(request.raw);
      reply.raw.writeContinue();
    });

    app.addHook('onSend', async (request, reply) => {
      const raw = request.raw;
      if (raw.complete || !(raw.socket instanceof Socket)) return;
      const clientCloses = /\bclose\b/i.test(String(request.headers.connection ?? ''));
      if (heldContinue.has(raw)) {
        // The client waits for 100 Continue before sending its body, which will now not come, so
        // this connection cannot carry another request.
        reply.header('connection', 'close');
      } else if (!clientCloses && reply.getHeader('connection') === 'close') {
        // Fastify closes after a refused body "as the client may send more data"; the framing
        // (length or chunks) still says where the body ends, so Node can drain it and keep the
        // connection, as the client asked.
        reply.removeHeader('connection');
        return;
      }
      if (clientCloses || reply.getHeader('connection') === 'close') lingerOnClose(raw.socket);
    });
  },
  { name: 'unread-body' },
);
