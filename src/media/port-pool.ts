// RTP/RTCP port pairs from the configured range (SB_RTP_PORTS). RFC 3550 §11: RTP on an even
// port, RTCP on the next odd one. Released ports go to the back of the line, so a port is reused
// as late as possible and stray packets of an ended call do not land in a new one.
import dgram from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import { DomainError } from '../kernel/index.ts';

/**
 * RTP on `port`, RTCP on `port + 1`. The sockets resolve IP literals synchronously: a send to an
 * address skips the resolver's deferral, and a connect takes effect before it returns.
 */
export interface PortPair {
  port: number;
  rtp: dgram.Socket;
  rtcp: dgram.Socket;
}

/** dgram's lookup hook: an IP literal is its own address, answered at once; names go to the resolver. */
const literalLookup = ((hostname: string, options: number, callback: (err: Error | null, address: string, family: number) => void): void => {
  const family = isIP(hostname);
  if (family !== 0) callback(null, hostname, family);
  else dnsLookup(hostname, options, callback);
}) as unknown as NonNullable<dgram.SocketOptions['lookup']>;

export class PortPool {
  readonly #free: number[] = [];
  readonly #inUse = new Set<number>();
  readonly #receiveBufferBytes: number | undefined;

  constructor(range: { min: number; max: number }, opts: { receiveBufferBytes?: number } = {}) {
    const first = range.min % 2 === 0 ? range.min : range.min + 1;
    for (let p = first; p + 1 <= range.max; p += 2) this.#free.push(p);
    this.#receiveBufferBytes = opts.receiveBufferBytes;
  }

  get available(): number {
    return this.#free.length;
  }

  get inUse(): number {
    return this.#inUse.size;
  }

  /** Binds an RTP/RTCP pair on `host`; ports taken by other programs are skipped. */
  async open(host: string): Promise<PortPair> {
    const tries = this.#free.length;
    for (let i = 0; i < tries; i++) {
      const port = this.#free.shift()!;
      const rtp = await bindSocket(host, port, this.#receiveBufferBytes);
      if (!rtp) { this.#free.push(port); continue; }
      const rtcp = await bindSocket(host, port + 1, undefined);
      if (!rtcp) { rtp.close(); this.#free.push(port); continue; }
      this.#inUse.add(port);
      return { port, rtp, rtcp };
    }
    throw new DomainError('SB_MEDIA_PORTS_EXHAUSTED', 503, 'No RTP port is free in the configured range (SB_RTP_PORTS).');
  }

  release(port: number): void {
    if (this.#inUse.delete(port)) this.#free.push(port);
  }
}

function bindSocket(host: string, port: number, receiveBufferBytes: number | undefined): Promise<dgram.Socket | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: receiveBufferBytes, lookup: literalLookup });
    const fail = () => { socket.close(); resolve(undefined); };
    socket.once('error', fail);
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.off('error', fail);
      resolve(socket);
    });
  });
}
