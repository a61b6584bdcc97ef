// The far ends of benchmark media, in processes of their own (rtp-peer-process.ts), so the system
// under test never shares an event loop with its load. Each worker binds UDP sockets on 127.0.0.1
// and then either sends G.711 streams to a relay and receives them back (`streams`: both ends of a
// stream in one worker, so every packet carries its send time and the latency is exact), or only
// receives (`listen`: inter-arrival times of what the server sends). Loss is counted from RTP
// sequence numbers at the receiver (RFC 3550 §A.3: expected = highest − lowest + 1).
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Histogram, type HistogramData } from './histogram.ts';
import { pin } from './processes.ts';

export type PeerMode = 'streams' | 'listen';

export interface RunOptions {
  mode: PeerMode;
  /** Traffic before the measurement window (latching, JIT, queues filling). */
  warmupMs: number;
  measureMs: number;
  /** A packet arriving later than this after it was sent counts as lost (a jitter buffer drops it). */
  lateMs: number;
}

export type PeerCommand =
  | { type: 'bind'; count: number; ports: { min: number; max: number } }
  | { type: 'connect'; targets: number[] }
  | { type: 'run'; run: RunOptions }
  | { type: 'unbind' };

export interface WorkerResult {
  sockets: number;
  /** Packets due in the window that were sent. */
  sent: number;
  /** From sequence numbers of what arrived, per receiving socket (a silent one: a whole stream). */
  expected: number;
  /** Arrived (in time or late). */
  received: number;
  late: number;
  latency: HistogramData;
  /** |inter-arrival − 20 ms| of consecutive packets of one stream. */
  interArrival: HistogramData;
  /** How late the generator sent each packet against its schedule (its own saturation). */
  sendLag: HistogramData;
  /** CPU seconds of the worker during the window. */
  cpuS: number;
}

export type PeerReply =
  | { type: 'ready' }
  | { type: 'bound'; ports: number[] }
  | { type: 'connected' }
  | { type: 'result'; result: WorkerResult }
  | { type: 'unbound' }
  | { type: 'error'; message: string };

export interface RunTotals {
  sockets: number;
  sent: number;
  expected: number;
  received: number;
  late: number;
  /** (expected − received in time) / expected. */
  lossRatio: number;
  latency: Histogram;
  interArrival: Histogram;
  sendLag: Histogram;
  peerCpuS: number;
}

export class RtpPeers {
  readonly #workers: ChildProcess[];
  readonly #ranges: { min: number; max: number }[];
  readonly #waiting = new Map<ChildProcess, (r: PeerReply) => void>();

  private constructor(workers: ChildProcess[], ranges: { min: number; max: number }[]) {
    this.#workers = workers;
    this.#ranges = ranges;
    const answer = (w: ChildProcess, m: PeerReply) => {
      const waiting = this.#waiting.get(w);
      this.#waiting.delete(w);
      waiting?.(m);
    };
    for (const w of workers) {
      w.on('message', (m: PeerReply) => answer(w, m));
      w.on('exit', (code) => answer(w, { type: 'error', message: `exited with ${code}` }));
    }
  }

  /** Forks `count` workers, each with an equal share of the port range, pinned to `cpus` if given. */
  static async start(opts: { workers: number; ports: { min: number; max: number }; cpus?: number[] | undefined }): Promise<RtpPeers> {
    const span = Math.floor((opts.ports.max - opts.ports.min + 1) / opts.workers);
    const ranges = Array.from({ length: opts.workers }, (_, i) => ({ min: opts.ports.min + i * span, max: opts.ports.min + (i + 1) * span - 1 }));
    const workers = ranges.map(() => fork(join(import.meta.dirname, 'rtp-peer-process.ts'), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('exit', (code) => reject(new Error(`RTP peer exited with ${code} before it was ready`)));
    })));
    if (opts.cpus) for (const w of workers) pin(w.pid!, opts.cpus);
    return new RtpPeers(workers, ranges);
  }

  get count(): number {
    return this.#workers.length;
  }

  get pids(): number[] {
    return this.#workers.map((w) => w.pid!);
  }

  /** Most sockets one worker can bind. */
  get socketsPerWorker(): number {
    return this.#ranges[0]!.max - this.#ranges[0]!.min + 1;
  }

  #ask(i: number, cmd: PeerCommand): Promise<PeerReply> {
    const w = this.#workers[i]!;
    return new Promise((resolve, reject) => {
      this.#waiting.set(w, (r) => (r.type === 'error' ? reject(new Error(`RTP peer ${i}: ${r.message}`)) : resolve(r)));
      w.send(cmd);
    });
  }

  /** Binds `counts[i]` sockets in worker i; returns their ports, per worker. */
  async bind(counts: number[]): Promise<number[][]> {
    const replies = await Promise.all(counts.map((count, i) => this.#ask(i, { type: 'bind', count, ports: this.#ranges[i]! })));
    return replies.map((r) => (r.type === 'bound' ? r.ports : []));
  }

  /** Where each worker's sockets send (by bind order; 0: that socket only receives). */
  async connect(targets: number[][]): Promise<void> {
    await Promise.all(targets.map((t, i) => this.#ask(i, { type: 'connect', targets: t })));
  }

  async run(run: RunOptions): Promise<RunTotals> {
    const replies = await Promise.all(this.#workers.map((_, i) => this.#ask(i, { type: 'run', run })));
    const totals: RunTotals = {
      sockets: 0, sent: 0, expected: 0, received: 0, late: 0, lossRatio: 0,
      latency: new Histogram(), interArrival: new Histogram(), sendLag: new Histogram(), peerCpuS: 0,
    };
    for (const r of replies) {
      if (r.type !== 'result') continue;
      const x = r.result;
      totals.sockets += x.sockets;
      totals.sent += x.sent;
      totals.expected += x.expected;
      totals.received += x.received;
      totals.late += x.late;
      totals.latency.merge(x.latency);
      totals.interArrival.merge(x.interArrival);
      totals.sendLag.merge(x.sendLag);
      totals.peerCpuS += x.cpuS;
    }
    const onTime = totals.received - totals.late;
    totals.lossRatio = totals.expected > 0 ? Math.max(0, totals.expected - onTime) / totals.expected : 1;
    return totals;
  }

  async unbind(): Promise<void> {
    await Promise.all(this.#workers.map((_, i) => this.#ask(i, { type: 'unbind' })));
  }

  async stop(): Promise<void> {
    await Promise.all(this.#workers.map((w) => new Promise<void>((resolve) => {
      if (w.exitCode !== null) { resolve(); return; }
      w.once('exit', () => resolve());
      w.disconnect();
    })));
  }
}

/** Splits `n` items over `workers` as evenly as possible. */
export function share(n: number, workers: number): number[] {
  return Array.from({ length: workers }, (_, i) => Math.floor(n / workers) + (i < n % workers ? 1 : 0));
}
