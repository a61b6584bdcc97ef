// sipp (Debian package sip-tester) for benchmarks: on 127.0.0.1 only (SIP, control and media
// sockets), 4 MiB socket buffers (shared/design/INTEROP.md §2.1), and its final counters read
// from the statistics screen it prints on exit.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { killOnExit } from './processes.ts';

export const sippAvailable = (): boolean => spawnSync('sipp', ['-v'], { stdio: 'ignore' }).status !== null;

export interface Sipp {
  child: ChildProcess;
  /** Exit code and everything printed. */
  done: Promise<{ code: number | null; out: string }>;
}

/** Starts sipp with its SIP port `port` and control port `port + 1`, in `cwd`. */
export function startSipp(port: number, args: string[], cwd: string): Sipp {
  const child = spawn('sipp', [
    ...args, '-i', '127.0.0.1', '-mi', '127.0.0.1', '-p', String(port), '-bind_local', '-ci', '127.0.0.1', '-cp', String(port + 1),
    '-nostdin', '-buff_size', '4194304',
  ], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  killOnExit(child);
  const done = new Promise<{ code: number | null; out: string }>((resolve) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('exit', (code) => resolve({ code, out }));
  });
  return { child, done };
}

/** A cumulative counter of sipp's last statistics screen ("Successful call", "Failed call"). */
export function sippCounter(out: string, name: string): number {
  const line = out.split('\n').filter((l) => l.startsWith(`  ${name}`)).at(-1) ?? '';
  return Number(line.split('|')[2]?.trim() ?? 'NaN');
}
