// UDP (RFC 3261 §18.1.1/§18.2.1): one datagram carries one message.
import { createSocket, type Socket } from 'node:dgram';
import type { Endpoint, Transport, TransportStats, TransportUser } from './transport.ts';

export interface UdpTransportOptions {
  address: string;
  port: number;
  /** Socket buffer size; bursts of datagrams overflow the default (INTEROP.md: sipp retransmission storms). */
  bufferBytes?: number;
}

export class UdpTransport implements Transport {
  readonly protocol = 'udp' as const;
  local = { address: '', port: 0 };
  readonly #o: UdpTransportOptions;
  readonly #user: TransportUser;
  readonly #socket: Socket;
  readonly #stats: TransportStats = { received: 0, sent: 0, dropped: 0, connections: 0 };

  constructor(options: UdpTransportOptions, user: TransportUser) {
    this.#o = options;
    this.#user = user;
    this.#socket = createSocket({ type: options.address.includes(':') ? 'udp6' : 'udp4' });
    this.#socket.on('message', (bytes, rinfo) => {
      this.#stats.received++;
      this.#user.receive({ bytes, source: { protocol: 'udp', address: rinfo.address, port: rinfo.port }, local: this.local });
    });
    this.#socket.on('error', () => { this.#stats.dropped++; });
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#socket.once('error', reject);
      this.#socket.bind(this.#o.port, this.#o.address, () => {
        this.#socket.off('error', reject);
        const size = this.#o.bufferBytes ?? 4 * 1024 * 1024;
        try { this.#socket.setRecvBufferSize(size); this.#socket.setSendBufferSize(size); } catch { /* capped by the OS */ }
        const a = this.#socket.address();
        this.local = { address: a.address, port: a.port };
        resolve();
      });
    });
  }

  send(bytes: Buffer, to: Endpoint): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#socket.send(bytes, to.port, to.address, (err) => {
        if (err) reject(err);
        else { this.#stats.sent++; resolve(); }
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => { try { this.#socket.close(() => resolve()); } catch { resolve(); } });
  }

  stats(): TransportStats {
    return { ...this.#stats };
  }
}
