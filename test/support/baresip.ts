// Debian's baresip as a real softphone on loopback, driven through its ctrl_tcp module (netstring
// JSON). Audio comes from a WAV (`aufile`: a 440 Hz tone made by sox unless another 8 kHz mono
// 16-bit file is given) and is played into `aubridge`, so no sound card is used. With `record`,
// the `sndfile` module writes what the phone sent and received to WAV files.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const baresipAvailable = (): boolean => spawnSync('baresip', ['-h'], { stdio: 'ignore' }).status !== null;

export interface BaresipEvent {
  type: string;
  class?: string;
  param?: string;
  peeruri?: string;
  [k: string]: unknown;
}

/** Two free TCP ports in a row (baresip binds SIP on P and TLS on P+1). */
async function freePortPair(): Promise<number> {
  for (;;) {
    const p = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => { const a = s.address() as { port: number }; s.close(() => resolve(a.port)); });
    });
    if (p < 65000) {
      const ok = await new Promise<boolean>((resolve) => { const s = createServer().once('error', () => resolve(false)).listen(p + 1, '127.0.0.1', () => s.close(() => resolve(true))); });
      if (ok) return p;
    }
  }
}

export class Baresip {
  readonly user: string;
  readonly events: BaresipEvent[] = [];
  #child: ChildProcess;
  #ctrl: Socket | undefined;
  #dir: string;
  #buf = '';
  #waiters: { match: (e: BaresipEvent) => boolean; resolve: (e: BaresipEvent) => void }[] = [];
  log = '';

  private constructor(user: string, dir: string, child: ChildProcess) {
    this.user = user;
    this.#dir = dir;
    this.#child = child;
    child.stdout?.on('data', (d: Buffer) => { this.log += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { this.log += d.toString(); });
  }

  /** Starts a softphone registering `user` with `password` at the registrar `registrar` (host:port). */
  static async start(o: { user: string; password: string; registrar: string; rtpBase: number; source?: string; record?: boolean; answerMode?: 'auto' | 'manual' }): Promise<Baresip> {
    const dir = mkdtempSync(join(tmpdir(), `sb-baresip-${o.user}-`));
    const sipPort = await freePortPair();
    const ctrlPort = await freePortPair();
    // aufile needs 8 kHz s16 mono for PCMU, longer than any call (its end of file hangs up).
    const tone = o.source ?? join(dir, 'tone.wav');
    if (!o.source) {
      const sox = spawnSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', tone, 'synth', '120', 'sine', '440', 'vol', '0.3']);
      if (sox.status !== 0) throw new Error(`sox failed: ${sox.stderr}`);
    }
    const rec = join(dir, 'rec');
    mkdirSync(rec);
    writeFileSync(join(dir, 'config'), [
      'poll_method epoll', `sip_listen 127.0.0.1:${sipPort}`, 'net_interface 127.0.0.1', 'call_local_timeout 120', 'call_max_calls 4',
      'audio_player aubridge,sink', `audio_source aufile,${tone}`, 'ausrc_format s16', 'auplay_format s16', 'auenc_format s16', 'audec_format s16', 'audio_alert aubridge,sink', 'audio_level no',
      'rtp_tos 0', `rtp_ports ${o.rtpBase}-${o.rtpBase + 19}`, 'rtcp_mux no', 'jitter_buffer_delay 1-5', 'rtp_stats yes',
      'dns_server 127.0.0.1:53', 'module_path /usr/lib/baresip/modules', 'module g711.so', 'module aufile.so', 'module aubridge.so',
      ...(o.record ? ['module sndfile.so', `snd_path ${rec}`] : []),
      'module_tmp account.so', 'module_app menu.so', 'module_app ctrl_tcp.so', `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`, '',
    ].join('\n'));
    writeFileSync(join(dir, 'accounts'), '');
    writeFileSync(join(dir, 'contacts'), '');
    const child = spawn('baresip', ['-f', dir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: dir } });
    const phone = new Baresip(o.user, dir, child);
    for (let i = 0; i < 100 && !phone.#ctrl; i++) {
      await new Promise((r) => setTimeout(r, 100));
      phone.#ctrl = await new Promise<Socket | undefined>((resolve) => {
        const s = connect(ctrlPort, '127.0.0.1');
        s.once('connect', () => resolve(s));
        s.once('error', () => resolve(undefined));
      });
    }
    if (!phone.#ctrl) throw new Error(`baresip ${o.user} did not open its control port:\n${phone.log}`);
    phone.#ctrl.on('data', (d: Buffer) => phone.#read(d.toString('utf8')));
    // The account is created (and registers) only now, so its events reach the control connection.
    phone.command('uanew', `<sip:${o.user}@${o.registrar}>;auth_pass=${o.password};regint=300;answermode=${o.answerMode ?? 'auto'};audio_codecs=PCMU;mwi=no;pubint=0;ptime=20`);
    return phone;
  }

  #read(chunk: string): void {
    this.#buf += chunk;
    for (;;) {
      const colon = this.#buf.indexOf(':');
      if (colon < 0) return;
      const len = Number(this.#buf.slice(0, colon));
      if (this.#buf.length < colon + 1 + len + 1) return;
      const json = this.#buf.slice(colon + 1, colon + 1 + len);
      this.#buf = this.#buf.slice(colon + 2 + len);
      const msg = JSON.parse(json) as BaresipEvent & { event?: boolean };
      if (!msg.event) continue;
      this.events.push(msg);
      for (const w of [...this.#waiters]) if (w.match(msg)) { this.#waiters.splice(this.#waiters.indexOf(w), 1); w.resolve(msg); }
    }
  }

  /** What `sndfile` wrote: `-dec.wav` files hold what the phone received, `-enc.wav` what it sent. */
  recordings(): { received: string[]; sent: string[] } {
    const files = readdirSync(join(this.#dir, 'rec')).sort().map((f) => join(this.#dir, 'rec', f));
    return { received: files.filter((f) => f.endsWith('-dec.wav')), sent: files.filter((f) => f.endsWith('-enc.wav')) };
  }

  command(command: string, params = ''): void {
    const m = JSON.stringify({ command, params, token: command });
    this.#ctrl!.write(`${Buffer.byteLength(m)}:${m},`);
  }

  /** Resolves with the first event (already seen or still to come) of `type`; rejects after `timeoutMs`. */
  waitFor(type: string, timeoutMs = 10_000, since = 0): Promise<BaresipEvent> {
    const seen = this.events.slice(since).find((e) => e.type === type);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`baresip ${this.user}: no ${type} within ${timeoutMs} ms; events: ${this.events.map((e) => e.type).join(', ')}\n${this.log.slice(-3000)}`)), timeoutMs);
      this.#waiters.push({ match: (e) => e.type === type, resolve: (e) => { clearTimeout(timer); resolve(e); } });
    });
  }

  async stop(): Promise<void> {
    this.#ctrl?.destroy();
    this.#child.kill('SIGTERM');
    await new Promise((r) => { if (this.#child.exitCode !== null) r(undefined); else this.#child.once('exit', r); });
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
