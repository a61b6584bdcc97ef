// A real HTTP receiver on 127.0.0.1 for tests: records every request, answers with a status chosen
// per request (fail the first N, hold without answering until released), and can go down.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A status to answer, or 'hold' to answer only when released. */
export type Answer = number | 'hold';

export class TestReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Decides the answer to the n-th request (0-based); 200 unless set. */
  answer: (n: number, req: ReceivedRequest) => Answer = () => 200;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #held: ServerResponse[] = [];
  readonly #waiters: { count: number; resolve: () => void }[] = [];
  #port = 0;

  private constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        const n = this.requests.length;
        this.requests.push(r);
        const a = this.answer(n, r);
        if (a === 'hold') this.#held.push(res);
        else res.writeHead(a, { 'content-type': 'application/json' }).end('{"ok":true}');
        for (const w of [...this.#waiters]) {
          if (this.requests.length >= w.count) {
            this.#waiters.splice(this.#waiters.indexOf(w), 1);
            w.resolve();
          }
        }
      });
    });
    this.#server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
  }

  static async start(port = 0): Promise<TestReceiver> {
    const r = new TestReceiver();
    await r.listen(port);
    return r;
  }

  async listen(port = this.#port): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  get port(): number {
    return this.#port;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.#port}${path}`;
  }

  /** Resolves once `count` requests have arrived in all. */
  received(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Requests held without an answer right now. */
  held(): number {
    return this.#held.filter((r) => !r.writableEnded && !r.destroyed).length;
  }

  /** Answers every held request with `status`. */
  release(status = 200): void {
    for (const res of this.#held.splice(0)) if (!res.destroyed) res.writeHead(status).end();
  }

  /** Stops listening and drops every connection: the receiver is down until `listen` again. */
  async close(): Promise<void> {
    this.#held.splice(0);
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
