import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import { type RawData, WebSocket, WebSocketServer } from 'ws';

/** What graphql-ws hands our hooks as `ctx.extra`. */
export interface WsConnection {
  socket: WebSocket;
  request: IncomingMessage;
}

// A socket holding more than this unsent makes its subscriptions wait (their inboxes then fill,
// and a slow client catches up from the store instead of growing the server's memory).
const HIGH_WATER_BYTES = 1024 * 1024;
const KEEP_ALIVE_MS = 12_000;

/**
 * Writes of one event-loop turn go out together: a batch of events for a subscriber becomes one
 * system call instead of one per message.
 */
class Coalescer {
  private readonly corked = new Set<Socket>();
  private scheduled = false;

  cork(socket: Socket): void {
    if (this.corked.has(socket)) return;
    socket.cork();
    this.corked.add(socket);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    for (const socket of this.corked) socket.uncork();
    this.corked.clear();
  }
}

/**
 * graphql-ws (the graphql-transport-ws protocol) on the HTTP server's `path`, like graphql-ws's own
 * `useServer` for `ws`, except for how messages are written: `send` does not wait for each message
 * to reach the kernel before the next one is made, writes of a turn are coalesced, and a socket
 * whose client does not keep up applies backpressure.
 */
export function serveGraphqlWs(
  httpServer: HttpServer,
  path: string,
  options: ServerOptions<Record<string, unknown> | undefined, WsConnection>,
  onInternalError: (error: unknown) => void,
) {
  const server = makeServer(options);
  const wss = new WebSocketServer({ noServer: true, handleProtocols });
  const coalescer = new Coalescer();

  const onUpgrade = (request: IncomingMessage, raw: Socket, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== path) return;
    wss.handleUpgrade(request, raw, head, (socket) => accept(socket, request, raw));
  };
  httpServer.on('upgrade', onUpgrade);

  function accept(socket: WebSocket, request: IncomingMessage, raw: Socket) {
    raw.setNoDelay(true);
    socket.once('error', (error) => {
      onInternalError(error);
      socket.close(CloseCode.InternalServerError, 'Internal server error');
    });
    let pongWait: NodeJS.Timeout | null = null;
    const pingInterval = setInterval(() => {
      if (socket.readyState !== WebSocket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), KEEP_ALIVE_MS);
      socket.once('pong', () => {
        if (pongWait) clearTimeout(pongWait);
        pongWait = null;
      });
      socket.ping();
    }, KEEP_ALIVE_MS);

    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => {
          if (socket.readyState !== WebSocket.OPEN) return;
          coalescer.cork(raw);
          socket.send(data);
          if (socket.bufferedAmount > HIGH_WATER_BYTES) return drained(socket, raw);
        },
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            handle(messageText(data)).catch((error: unknown) => {
              onInternalError(error);
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      if (pongWait) clearTimeout(pongWait);
      clearInterval(pingInterval);
      void closed(code, String(reason));
    });
  }

  return {
    close: async () => {
      httpServer.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.close(1001, 'Going away');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

const messageText = (data: RawData): string =>
  (Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');

/** Resolves once the socket's buffer was written out (or the socket is gone). */
function drained(socket: WebSocket, raw: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      raw.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    raw.on('drain', done);
    socket.on('close', done);
  });
}
