// Debian's rtpengine (package rtpengine-daemon) as a peer relay: userspace forwarding only
// (--table=-1: no kernel module), in the foreground, media and control on 127.0.0.1, driven over
// its ng control protocol: UDP datagrams "<cookie> <bencoded dictionary>", answered with the same
// cookie (offer / answer / delete / ping, as in rtpengine's ng protocol documentation).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import bencode from 'bencode';
import { killOnExit } from './processes.ts';

const HOST = '127.0.0.1';

export const rtpengineVersion = (): string | undefined => {
  const r = spawnSync('rtpengine', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? `${r.stdout}${r.stderr}`.trim().replace(/^Version:\s*/, '') : undefined;
};

export type NgReply = Record<string, unknown> & { result?: string; sdp?: string; 'error-reason'?: string };

export class Rtpengine {
  readonly #daemon: ChildProcess;
  readonly #control: dgram.Socket;
  readonly #ngPort: number;
  readonly #pending = new Map<string, { resolve: (r: NgReply) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  #exited = false;

  private constructor(daemon: ChildProcess, control: dgram.Socket, ngPort: number) {
    this.#daemon = daemon;
    this.#control = control;
    this.#ngPort = ngPort;
    daemon.once('exit', () => { this.#exited = true; });
    control.on('message', (buf) => {
      const space = buf.indexOf(0x20);
      if (space < 0) return;
      const cookie = buf.subarray(0, space).toString('latin1');
      const p = this.#pending.get(cookie);
      if (!p) return;
      this.#pending.delete(cookie);
      clearTimeout(p.timer);
      try {
        p.resolve(strings(bencode.decode(buf.subarray(space + 1))) as NgReply);
      } catch (err) {
        p.reject(err as Error);
      }
    });
  }

  /**
   * Starts the daemon: ng control on `ngPort`, the client's socket on `clientPort`, media ports in
   * `ports`, `threads` forwarding threads, optionally under `taskset -c cpus`. Logs go to `logDir`.
   */
  static async start(opts: { ngPort: number; clientPort: number; ports: { min: number; max: number }; threads: number; cpus?: number[] | undefined; logDir: string }): Promise<Rtpengine> {
    const args = [
      '--config-file=none', '--foreground', '--log-stderr', '--log-level=4', '--table=-1', `--interface=${HOST}`, `--listen-ng=${HOST}:${opts.ngPort}`,
      `--port-min=${opts.ports.min}`, `--port-max=${opts.ports.max}`, `--num-threads=${opts.threads}`, '--delete-delay=0', '--timeout=120',
    ];
    const [cmd, argv] = opts.cpus ? ['taskset', ['-c', opts.cpus.join(','), 'rtpengine', ...args]] : ['rtpengine', args];
    const daemon = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    killOnExit(daemon);
    daemon.stderr!.pipe(createWriteStream(join(opts.logDir, 'rtpengine.log')));
    const control = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      control.once('error', reject);
      control.bind(opts.clientPort, HOST, () => { control.off('error', reject); resolve(); });
    });
    const engine = new Rtpengine(daemon, control, opts.ngPort);
    for (let i = 0; ; i++) {
      const pong = await engine.command({ command: 'ping' }, 200).catch(() => undefined);
      if (pong?.result === 'pong') return engine;
      if (engine.#exited || i === 50) {
        await engine.stop();
        throw new Error(`rtpengine did not answer an ng ping within 10 s; see ${join(opts.logDir, 'rtpengine.log')}`);
      }
    }
  }

  get pid(): number {
    return this.#daemon.pid!;
  }

  /** One ng command; rejects on timeout or when rtpengine answers `result: error`. */
  command(message: Record<string, unknown>, timeoutMs = 5000): Promise<NgReply> {
    const cookie = randomBytes(6).toString('hex');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.#pending.delete(cookie); reject(new Error(`ng ${String(message['command'])}: no answer in ${timeoutMs} ms`)); }, timeoutMs);
      this.#pending.set(cookie, {
        resolve: (r) => (r.result === 'error' ? reject(new Error(`ng ${String(message['command'])}: ${r['error-reason'] ?? 'error'}`)) : resolve(r)),
        reject, timer,
      });
      this.#control.send(Buffer.concat([Buffer.from(`${cookie} `), bencode.encode(message)]), this.#ngPort, HOST);
    });
  }

  /**
   * Sets up one relayed stream between far ends on ports `a` and `b` (offer from a, answer from b);
   * returns the ports a and b must send to.
   */
  async relay(callId: string, a: number, b: number): Promise<[number, number]> {
    const offer = await this.command({ command: 'offer', 'call-id': callId, 'from-tag': `${callId}-a`, sdp: sdp(a), replace: ['origin', 'session-connection'] });
    const answer = await this.command({ command: 'answer', 'call-id': callId, 'from-tag': `${callId}-a`, 'to-tag': `${callId}-b`, sdp: sdp(b), replace: ['origin', 'session-connection'] });
    // The offer's rewritten SDP goes to b (b sends there); the answer's goes to a.
    return [mediaPort(answer.sdp), mediaPort(offer.sdp)];
  }

  async delete(callId: string): Promise<void> {
    await this.command({ command: 'delete', 'call-id': callId, 'from-tag': `${callId}-a` });
  }

  async stop(): Promise<void> {
    for (const p of this.#pending.values()) clearTimeout(p.timer);
    this.#pending.clear();
    this.#control.close();
    if (this.#exited) return;
    await new Promise<void>((resolve) => { this.#daemon.once('exit', () => resolve()); this.#daemon.kill('SIGTERM'); });
  }
}

/** A G.711 µ-law offer or answer with RFC 4733 events, 20 ms packets (RFC 4566, RFC 3551). */
function sdp(port: number): string {
  return [
    'v=0', `o=- ${port} 1 IN IP4 ${HOST}`, 's=-', `c=IN IP4 ${HOST}`, 't=0 0',
    `m=audio ${port} RTP/AVP 0 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', 'a=ptime:20', 'a=sendrecv', '',
  ].join('\r\n');
}

/** Byte strings as text (bencode 4 decodes them as Uint8Array; its `encoding` argument breaks on dictionaries). */
function strings(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
  if (Array.isArray(v)) return v.map(strings);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strings(x)]));
  return v;
}

function mediaPort(description: string | undefined): number {
  const m = /^m=audio (\d+) /m.exec(description ?? '');
  if (!m) throw new Error(`rtpengine returned no audio port: ${description ?? '(no SDP)'}`);
  return Number(m[1]);
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function inFlight<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  }));
  return out;
}
