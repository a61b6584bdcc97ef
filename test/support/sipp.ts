// Runs Debian's sipp (package sip-tester) against a server on loopback. Scenario files are named after
// the outcome they expect; sipp's exit code is the assertion (0: every call succeeded).
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SCENARIOS = resolve(import.meta.dirname, '..', 'interop', 'scenarios');

export const sippAvailable = (): boolean => spawnSync('sipp', ['-v'], { stdio: 'ignore' }).status !== null;

/** A UDP port that was free a moment ago (sipp needs fixed ports on its command line). */
export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * An even port whose next three are free too (sipp's audio RTP/RTCP and video), below the kernel's
 * ephemeral range (32768+) so no outgoing socket of another program takes it meanwhile.
 */
async function freeMediaPorts(): Promise<number> {
  for (;;) {
    const base = 20000 + Math.floor(Math.random() * 6000) * 2;
    const sockets: ReturnType<typeof createSocket>[] = [];
    let ok = true;
    for (let p = base; p < base + 4 && ok; p++) {
      const s = createSocket('udp4');
      ok = await new Promise<boolean>((r) => { s.once('error', () => r(false)); s.bind(p, '127.0.0.1', () => r(true)); });
      sockets.push(s);
    }
    await Promise.all(sockets.map((s) => new Promise<void>((r) => { try { s.close(() => r()); } catch { r(); } })));
    if (ok) return base;
  }
}

export interface SippRun {
  code: number | null;
  stdout: string;
  errors: string;
  messages: string;
}

export interface SippOptions {
  scenario: string;
  /** host:port to send to; absent for a UAS that waits for calls. */
  target?: string;
  /** Local SIP port (default: a free one). */
  port?: number;
  transport?: 'u1' | 't1';
  service?: string;
  calls?: number;
  rate?: number;
  /** Rows of the injection file (`[field0]`, `[field1]`, …), one per call, `;`-separated. */
  inject?: string[];
  /** Percentage of packets sipp drops on purpose (exercises retransmissions). */
  lostPercent?: number;
  timeoutS?: number;
  extra?: string[];
}

export async function runSipp(o: SippOptions): Promise<SippRun> {
  return (await startSipp(o)).done;
}

export interface SippProcess {
  port: number;
  done: Promise<SippRun>;
  kill(): void;
}

/** Starts sipp and returns at once (a UAS waits in the background for the call under test). */
export async function startSipp(o: SippOptions): Promise<SippProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sipp-'));
  const localPort = o.port ?? await freeUdpPort();
  const controlPort = await freeUdpPort();
  const mediaPort = await freeMediaPorts();
  const args = [
    '-sf', join(SCENARIOS, o.scenario), ...(o.target ? [o.target] : []),
    '-i', '127.0.0.1', '-mi', '127.0.0.1', '-mp', String(mediaPort), '-p', String(localPort), '-bind_local',
    '-ci', '127.0.0.1', '-cp', String(controlPort), '-nostdin', '-buff_size', '4194304',
    '-m', String(o.calls ?? 1), '-r', String(o.rate ?? 10), '-timeout', `${o.timeoutS ?? 30}s`, '-timeout_error',
    '-t', o.transport ?? 'u1', '-s', o.service ?? 'service',
    '-trace_err', '-error_file', join(dir, 'errors.log'), '-trace_msg', '-message_file', join(dir, 'messages.log'),
  ];
  if (o.inject) {
    writeFileSync(join(dir, 'inject.csv'), ['SEQUENTIAL', ...o.inject].join('\n') + '\n');
    args.push('-inf', join(dir, 'inject.csv'));
  }
  if (o.lostPercent) args.push('-lost', String(o.lostPercent));
  args.push(...(o.extra ?? []));
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: dir } });
  const done = new Promise<SippRun>((done, fail) => {
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.on('error', fail);
    child.on('exit', (code) => {
      const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
      const run = { code, stdout, errors: read('errors.log'), messages: read('messages.log') };
      rmSync(dir, { recursive: true, force: true });
      done(run);
    });
  });
  return { port: localPort, done, kill: () => child.kill('SIGTERM') };
}
