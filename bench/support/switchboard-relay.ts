// Switchboard's media engine as a relay in a process of its own (switchboard-relay-process.ts):
// per stream two RTP sessions, each configured towards one far end as a call's legs are
// (PCMU, telephone-event negotiated), joined by a bridge.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pin } from './processes.ts';

export type RelayCommand =
  | { type: 'open'; pairs: [number, number][]; inbandDtmf: boolean }
  | { type: 'close' };

export type RelayReply =
  | { type: 'ready' }
  | { type: 'opened'; ports: [number, number][] }
  | { type: 'closed' }
  | { type: 'error'; message: string };

export class SwitchboardRelay {
  readonly #child: ChildProcess;
  #waiting: ((r: RelayReply) => void) | undefined;

  private constructor(child: ChildProcess) {
    this.#child = child;
    const answer = (m: RelayReply) => { const w = this.#waiting; this.#waiting = undefined; w?.(m); };
    child.on('message', answer);
    child.on('exit', (code) => answer({ type: 'error', message: `exited with ${code}` }));
  }

  /** Forks the relay with the RTP port range it may use; `profileDir` writes a V8 CPU profile there. */
  static async start(opts: { ports: { min: number; max: number }; cpus?: number[] | undefined; profileDir?: string | undefined }): Promise<SwitchboardRelay> {
    const execArgv = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [];
    const child = fork(join(import.meta.dirname, 'switchboard-relay-process.ts'), [String(opts.ports.min), String(opts.ports.max)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`Switchboard relay exited with ${code} before it was ready`)));
    });
    if (opts.cpus) pin(child.pid!, opts.cpus);
    return new SwitchboardRelay(child);
  }

  get pid(): number {
    return this.#child.pid!;
  }

  #ask(cmd: RelayCommand): Promise<RelayReply> {
    return new Promise((resolve, reject) => {
      this.#waiting = (r) => (r.type === 'error' ? reject(new Error(`Switchboard relay: ${r.message}`)) : resolve(r));
      this.#child.send(cmd);
    });
  }

  /** Bridges each pair of far-end ports; returns, per pair, the ports each far end must send to. */
  async open(pairs: [number, number][], inbandDtmf: boolean): Promise<[number, number][]> {
    const r = await this.#ask({ type: 'open', pairs, inbandDtmf });
    return r.type === 'opened' ? r.ports : [];
  }

  /** Ends every bridge and session. */
  async close(): Promise<void> {
    await this.#ask({ type: 'close' });
  }

  /** Ends the process normally (so a CPU profile is written). */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    await new Promise<void>((resolve) => { this.#child.once('exit', () => resolve()); this.#child.disconnect(); });
  }
}
