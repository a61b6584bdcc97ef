// UDP ports of benchmarks: fixed ports for peers inside the range a bench may use (the first of a
// run of `span` ports all free on 127.0.0.1 for UDP, and TCP when asked, as a SIP listener takes
// both, so an ephemeral connection of another program that holds one is skipped), and the
// kernel's per-socket drop counters, which tell which side of a media path lost packets.
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net from 'node:net';

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => { s.close(); resolve(false); });
    s.bind({ port, address: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(true)));
  });
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/**
 * Datagrams the kernel dropped (a full receive buffer) at the open IPv4 UDP sockets bound to a
 * port in `range`: the `drops` column of /proc/net/udp, counted per socket for its lifetime.
 */
export function udpDrops(range: { min: number; max: number }): number {
  let drops = 0;
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const port = parseInt(f[1]?.split(':')[1] ?? '', 16);
    if (port >= range.min && port <= range.max) drops += Number(f.at(-1));
  }
  return drops;
}

export async function freePorts(range: { min: number; max: number }, opts: { span?: number; tcp?: boolean } = {}): Promise<number> {
  const span = opts.span ?? 1;
  for (let first = range.min; first + span - 1 <= range.max; first++) {
    let ok = true;
    for (let p = first; p < first + span && ok; p++) ok = (await udpFree(p)) && (!opts.tcp || await tcpFree(p));
    if (ok) return first;
  }
  throw new Error(`no ${span} free port(s) in ${range.min}–${range.max}`);
}
