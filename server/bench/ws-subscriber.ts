import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

// A deliberately small graphql-transport-ws client over a raw socket, for the fan-out benchmark:
// a thousand of these must not take the CPU the server needs. It parses WebSocket frames itself
// and reads only two numbers out of each `next` message (the event's seq and the time it was
// sent) instead of decoding the JSON, so the cost of a delivery stays on the server.

const OPCODE_TEXT = 0x1;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;

export interface Delivery {
  seq: number;
  /** The `sentAt` number found in the message, or NaN. */
  sentAt: number;
  /** Arrival time of the chunk that completed the frame. */
  at: number;
}

export interface SubscriberHandlers {
  next(delivery: Delivery): void;
  /** An `error` or `complete` message, or the connection closing. */
  ended(reason: string): void;
}

const SEQ = Buffer.from('"seq":');
const SENT_AT = Buffer.from('"sentAt":');
const NEXT = Buffer.from('"type":"next"');

/** The number written at `from` in a JSON text (digits, '.', '-', 'e'). */
function numberAt(buffer: Buffer, from: number, end: number): number {
  let to = from;
  while (to < end) {
    const c = buffer[to];
    if ((c >= 48 && c <= 57) || c === 46 || c === 45 || c === 101 || c === 43) to++;
    else break;
  }
  return to > from ? Number(buffer.toString('latin1', from, to)) : NaN;
}

function frame(opcode: number, payload: Buffer): Buffer {
  // Client frames are masked (RFC 6455 §5.3).
  const mask = randomBytes(4);
  const length = payload.length;
  const header = length < 126 ? Buffer.alloc(2) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  if (length < 126) header[1] = 0x80 | length;
  else if (length < 65536) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  const masked = Buffer.alloc(length);
  for (let i = 0; i < length; i++) masked[i] = payload[i] ^ mask[i & 3];
  return Buffer.concat([header, mask, masked]);
}

export class WsSubscriber {
  private socket?: Socket;
  private pending: Buffer | null = null;
  private acked?: () => void;

  constructor(
    private readonly url: string,
    private readonly handlers: SubscriberHandlers,
  ) {}

  /** Opens the connection and waits for connection_ack. */
  async connect(connectionParams: Record<string, unknown> = {}): Promise<void> {
    const target = new URL('/graphql', this.url);
    const socket = await new Promise<Socket>((resolve, reject) => {
      const req = request({
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': randomBytes(16).toString('base64'),
          'sec-websocket-protocol': 'graphql-transport-ws',
        },
      });
      req.once('upgrade', (_res, upgraded: Socket, head: Buffer) => {
        if (head.length > 0) this.pending = head;
        resolve(upgraded);
      });
      req.once('response', (res) => reject(new Error(`no upgrade: HTTP ${res.statusCode}`)));
      req.once('error', reject);
      req.end();
    });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.once('close', () => this.handlers.ended('closed'));
    socket.on('error', () => undefined);
    const acked = new Promise<void>((resolve) => (this.acked = resolve));
    this.sendJson({ type: 'connection_init', payload: connectionParams });
    if (this.pending) {
      const head = this.pending;
      this.pending = null;
      this.receive(head);
    }
    await acked;
  }

  subscribe(id: string, query: string, variables: Record<string, unknown>): void {
    this.sendJson({ id, type: 'subscribe', payload: { query, variables } });
  }

  close(): void {
    this.socket?.destroy();
  }

  private sendJson(message: unknown): void {
    this.socket!.write(frame(OPCODE_TEXT, Buffer.from(JSON.stringify(message))));
  }

  private receive(chunk: Buffer): void {
    const at = performance.timeOrigin + performance.now();
    const buffer = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let offset = 0;
    for (;;) {
      if (buffer.length - offset < 2) break;
      const opcode = buffer[offset] & 0x0f;
      let length = buffer[offset + 1] & 0x7f;
      let header = 2;
      if (length === 126) {
        if (buffer.length - offset < 4) break;
        length = buffer.readUInt16BE(offset + 2);
        header = 4;
      } else if (length === 127) {
        if (buffer.length - offset < 10) break;
        length = Number(buffer.readBigUInt64BE(offset + 2));
        header = 10;
      }
      if (buffer.length - offset < header + length) break;
      const start = offset + header;
      const end = start + length;
      offset = end;
      if (opcode === OPCODE_TEXT) this.message(buffer, start, end, at);
      else if (opcode === OPCODE_PING) this.socket!.write(frame(OPCODE_PONG, buffer.subarray(start, end)));
      else if (opcode === OPCODE_CLOSE) this.handlers.ended(`close frame ${length >= 2 ? buffer.readUInt16BE(start) : ''}`);
    }
    this.pending = offset < buffer.length ? buffer.subarray(offset) : null;
    if (this.pending && buffer === chunk) this.pending = Buffer.from(this.pending);
  }

  private message(buffer: Buffer, start: number, end: number, at: number): void {
    const next = buffer.indexOf(NEXT, start);
    if (next === -1 || next >= end) {
      const text = buffer.toString('utf8', start, end);
      if (text.includes('"connection_ack"')) return this.acked?.();
      if (text.includes('"pong"') || text.includes('"ping"')) return;
      return this.handlers.ended(text.slice(0, 500));
    }
    const seq = buffer.indexOf(SEQ, start);
    const sent = buffer.indexOf(SENT_AT, start);
    this.handlers.next({
      seq: seq !== -1 && seq < end ? numberAt(buffer, seq + SEQ.length, end) : NaN,
      sentAt: sent !== -1 && sent < end ? numberAt(buffer, sent + SENT_AT.length, end) : NaN,
      at,
    });
  }
}
