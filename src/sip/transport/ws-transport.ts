// SIP over WebSocket (RFC 7118): subprotocol "sip", one SIP message per WebSocket message (§5).
// Browser phones connect here; responses and in-dialog requests go back on the same connection.
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Endpoint, Transport, TransportStats, TransportUser } from './transport.ts';

export interface WsTransportOptions {
  address: string;
  port: number;
  maxMessageBytes: number;
  idleTimeoutMs: number;
}

interface Connection {
  id: string;
  socket: WebSocket;
  remote: { address: string; port: number };
  idle: NodeJS.Timeout;
}

export class WsTransport implements Transport {
  readonly protocol = 'ws' as const;
  local = { address: '', port: 0 };
  readonly #o: WsTransportOptions;
  readonly #user: TransportUser;
  #server: WebSocketServer | undefined;
  readonly #byId = new Map<string, Connection>();
  readonly #stats: TransportStats = { received: 0, sent: 0, dropped: 0, connections: 0 };

  constructor(options: WsTransportOptions, user: TransportUser) {
    this.#o = options;
    this.#user = user;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = new WebSocketServer({
        host: this.#o.address,
        port: this.#o.port,
        maxPayload: this.#o.maxMessageBytes,
        // RFC 7118 §4.1: the client offers "sip" in Sec-WebSocket-Protocol; refuse clients that do not.
        handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
      });
      this.#server = server;
      server.once('error', reject);
      server.once('listening', () => {
        server.off('error', reject);
        const a = server.address();
        if (a && typeof a === 'object') this.local = { address: a.address, port: a.port };
        resolve();
      });
      server.on('connection', (socket, req) => {
        if (socket.protocol !== 'sip') { socket.close(1002, 'subprotocol sip required'); return; }
        const conn: Connection = {
          id: randomUUID(), socket,
          remote: { address: req.socket.remoteAddress ?? '', port: req.socket.remotePort ?? 0 },
          idle: setTimeout(() => socket.terminate(), this.#o.idleTimeoutMs),
        };
        this.#byId.set(conn.id, conn);
        this.#stats.connections = this.#byId.size;
        socket.on('message', (data, isBinary) => {
          conn.idle.refresh();
          const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
          if (!isBinary && bytes.length <= 4 && bytes.toString().trim() === '') return; // keep-alive
          this.#stats.received++;
          this.#user.receive({ bytes, source: { protocol: 'ws', ...conn.remote, connectionId: conn.id }, local: this.local });
        });
        socket.on('close', () => {
          clearTimeout(conn.idle);
          this.#byId.delete(conn.id);
          this.#stats.connections = this.#byId.size;
          this.#user.connectionClosed?.(conn.id);
        });
        socket.on('error', () => socket.terminate());
      });
    });
  }

  /** Only back over an existing connection: a browser cannot be dialled (RFC 7118 §5). */
  async send(bytes: Buffer, to: Endpoint): Promise<void> {
    const conn = to.connectionId ? this.#byId.get(to.connectionId) : undefined;
    if (!conn || conn.socket.readyState !== conn.socket.OPEN) throw new Error('no open WebSocket connection to that peer');
    await new Promise<void>((resolve, reject) => conn.socket.send(bytes.toString('utf8'), (err) => (err ? reject(err) : resolve())));
    this.#stats.sent++;
  }

  close(): Promise<void> {
    for (const c of this.#byId.values()) { clearTimeout(c.idle); c.socket.terminate(); }
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  stats(): TransportStats {
    return { ...this.#stats };
  }
}
