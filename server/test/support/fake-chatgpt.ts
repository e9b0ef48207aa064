import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FakePage =
  | { html: string; status?: number; contentType?: string }
  | { redirect: string; status?: number }
  /** `bytes` of filler HTML; `declareLength: false` sends it chunked, without Content-Length. */
  | { huge: number; declareLength: boolean }
  /** Sends the headers, then nothing for `delayMs`. */
  | { stall: number };

/** A local stand-in for chatgpt.com serving share pages by path, with knobs for redirects, huge and stalled pages. */
export class FakeChatGpt {
  readonly requests: { path: string; headers: IncomingMessage['headers'] }[] = [];
  private readonly pages = new Map<string, FakePage>();
  private readonly sockets = new Set<Socket>();
  private port = 0;

  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<FakeChatGpt> {
    const fake = new FakeChatGpt();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Serves `page` at /share/<id> and returns the share URL. */
  share(id: string, page: FakePage): string {
    this.pages.set(`/share/${id}`, page);
    return `${this.origin}/share/${id}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    this.requests.push({ path, headers: req.headers });
    const page = this.pages.get(path);
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not found</body></html>');
      return;
    }
    if ('redirect' in page) {
      res.writeHead(page.status ?? 302, { location: page.redirect }).end();
      return;
    }
    if ('stall' in page) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.write('<!DOCTYPE html><html>');
      setTimeout(() => res.end('</html>'), page.stall).unref();
      return;
    }
    if ('huge' in page) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...(page.declareLength ? { 'content-length': String(page.huge) } : {}) });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let left = page.huge;
      const pump = () => {
        while (left > 0) {
          const piece = chunk.subarray(0, Math.min(chunk.length, left));
          left -= piece.length;
          if (!res.write(piece)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
      return;
    }
    res.writeHead(page.status ?? 200, { 'content-type': page.contentType ?? 'text/html; charset=utf-8' }).end(page.html);
  }
}
