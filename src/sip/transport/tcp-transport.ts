// TCP (RFC 3261 §18.3): a byte stream framed by Content-Length. Each connection has a buffer cap
// and an idle timeout; a framing error closes the connection. Responses go back on the connection
// the request came in on (§18.2.2); requests to a peer reuse an open connection to it.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Endpoint, StreamFraming, Transport, TransportStats, TransportUser } from './transport.ts';

export interface TcpTransportOptions {
  address: string;
  port: number;
  idleTimeoutMs: number;
  newFraming: () => StreamFraming;
  maxConnections?: number;
}

interface Connection {
  id: string;
  socket: Socket;
  remote: { address: string; port: number };
}

export class TcpTransport implements Transport {
  readonly protocol = 'tcp' as const;
  local = { address: '', port: 0 };
  readonly #o: TcpTransportOptions;
  readonly #user: TransportUser;
  readonly #server: Server;
  readonly #byId = new Map<string, Connection>();
  readonly #byRemote = new Map<string, Connection>();
  readonly #stats: TransportStats = { received: 0, sent: 0, dropped: 0, connections: 0 };

  constructor(options: TcpTransportOptions, user: TransportUser) {
    this.#o = options;
    this.#user = user;
    this.#server = createServer((socket) => this.#adopt(socket));
    this.#server.maxConnections = options.maxConnections ?? 10_000;
  }

  #adopt(socket: Socket): Connection {
    const conn: Connection = { id: randomUUID(), socket, remote: { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 } };
    this.#byId.set(conn.id, conn);
    this.#byRemote.set(`${conn.remote.address}:${conn.remote.port}`, conn);
    this.#stats.connections = this.#byId.size;
    const framing = this.#o.newFraming();
    socket.setNoDelay(true);
    socket.setTimeout(this.#o.idleTimeoutMs, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      const { messages, keepAlivePings, error } = framing.push(chunk);
      // RFC 5626 §3.5.1: answer a double-CRLF ping with a single CRLF pong.
      for (let i = 0; i < keepAlivePings; i++) socket.write('\r\n');
      for (const bytes of messages) {
        this.#stats.received++;
        this.#user.receive({ bytes, source: { protocol: 'tcp', ...conn.remote, connectionId: conn.id }, local: this.local });
      }
      if (error) {
        this.#stats.dropped++;
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.#byId.delete(conn.id);
      if (this.#byRemote.get(`${conn.remote.address}:${conn.remote.port}`) === conn) this.#byRemote.delete(`${conn.remote.address}:${conn.remote.port}`);
      this.#stats.connections = this.#byId.size;
      this.#user.connectionClosed?.(conn.id);
    });
    return conn;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#o.port, this.#o.address, () => {
        this.#server.off('error', reject);
        const a = this.#server.address();
        if (a && typeof a === 'object') this.local = { address: a.address, port: a.port };
        resolve();
      });
    });
  }

  async send(bytes: Buffer, to: Endpoint): Promise<void> {
    let conn = to.connectionId ? this.#byId.get(to.connectionId) : undefined;
    conn ??= this.#byRemote.get(`${to.address}:${to.port}`);
    if (!conn) conn = await this.#connect(to);
    const c = conn;
    await new Promise<void>((resolve, reject) => {
      c.socket.write(bytes, (err) => (err ? reject(err) : resolve()));
    });
    this.#stats.sent++;
  }

  #connect(to: Endpoint): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: to.address, port: to.port, localAddress: this.#o.address === '0.0.0.0' ? undefined : this.#o.address });
      socket.once('connect', () => { socket.off('error', reject); resolve(this.#adopt(socket)); });
      socket.once('error', reject);
    });
  }

  close(): Promise<void> {
    for (const c of this.#byId.values()) c.socket.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  stats(): TransportStats {
    return { ...this.#stats };
  }
}
