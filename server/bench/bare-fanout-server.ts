import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

// The baseline for fan-out: a bare node:http + ws server that speaks just enough graphql-transport-ws
// (ack, subscribe) and sends every line of a POSTed NDJSON batch to every subscriber as a `next`
// message, serialising each line once. No store, no Redis, no GraphQL: what is left is the cost of
// the WebSocket fan-out itself on this machine, with the same clients. A batch goes out to each
// socket in one write (cork/uncork), as the orchestrator's own graphql-ws server does.
const subscribers = new Map<WebSocket, { id: string; raw: Socket }>();
let seq = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let accepted = 0;
    for (const { raw } of subscribers.values()) raw.cork();
    for (const line of Buffer.concat(chunks).toString('utf8').split('\n')) {
      if (line.trim().length === 0) continue;
      const event = JSON.parse(line) as { id: string; time: string; source: string; data: { level: string; message: string; kv?: unknown } };
      const payload = JSON.stringify({
        data: {
          runLogAppended: {
            id: event.id,
            seq: ++seq,
            time: event.time,
            level: event.data.level.toUpperCase(),
            source: event.source,
            message: event.data.message,
            kv: event.data.kv ?? null,
          },
        },
      });
      for (const [socket, { id }] of subscribers) socket.send(`{"id":${JSON.stringify(id)},"type":"next","payload":${payload}}`);
      accepted++;
    }
    for (const { raw } of subscribers.values()) raw.uncork();
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ accepted }));
  });
});

const wss = new WebSocketServer({ server, path: '/graphql', handleProtocols: () => 'graphql-transport-ws' });
wss.on('connection', (socket, request) => {
  socket.on('message', (data) => {
    const message = JSON.parse((Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer)).toString('utf8')) as { type: string; id?: string };
    if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
    else if (message.type === 'subscribe') subscribers.set(socket, { id: message.id!, raw: request.socket });
  });
  socket.on('close', () => subscribers.delete(socket));
});

server.listen(Number(process.argv[2]), '127.0.0.1', () => process.send?.('ready'));
