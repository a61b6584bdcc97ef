// What the encrypted recording store costs: N recordings open at once, each given one 1 s chunk of
// 8 kHz stereo PCM (32,000 bytes) per second, as the recorder hands them over during calls, for S
// seconds; the process's CPU (user and system, which includes the file system's work in libuv's
// threads and the kernel) as % of one core. Run once with the store's group sync (every 5 s) and
// once with syncing only at finish, to show what the syncs cost. This is the store's part of
// recording; `bench/media-calls.ts` measures whole recorded calls against unrecorded ones.
// Run: node bench/recording-store.ts [--recordings=650] [--seconds=20]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { integerFlag } from './support/flags.ts';
import { DerivedRecordingKeys } from '../src/media/recording-keys.ts';
import { LocalRecordingStore } from '../src/media/recording-store.local.ts';

const { values: flags } = parseArgs({ options: { recordings: { type: 'string', default: '650' }, seconds: { type: 'string', default: '20' } } });
const N = integerFlag('recordings', flags.recordings);
const SECONDS = integerFlag('seconds', flags.seconds);

const CHUNK = new Uint8Array(32_000).map((_, i) => (i * 7) & 0xff);
/** Longer than the run: no group sync happens before finish. */
const NEVER = 2 ** 31 - 1;

async function run(syncIntervalMs: number): Promise<{ user: number; system: number; seconds: number }> {
  const root = mkdtempSync(join(tmpdir(), 'sb-bench-recordings-'));
  try {
    const store = new LocalRecordingStore({ root, keys: new DerivedRecordingKeys(randomBytes(32)), syncIntervalMs });
    const sinks = await Promise.all(Array.from({ length: N }, (_, i) => store.create('bench', `r${i}`)));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let s = 0; s < SECONDS; s++) {
      const due = t0 + (s + 1) * 1000;
      await Promise.all(sinks.map((k) => k.append(CHUNK)));
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const cpu = process.cpuUsage(cpu0);
    const seconds = (performance.now() - t0) / 1000;
    await Promise.all(sinks.map((k) => k.finish(new Uint8Array(44))));
    return { user: cpu.user / 1e4 / seconds, system: cpu.system / 1e4 / seconds, seconds };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

console.log(`recording store: ${N} recordings, one 32,000-byte chunk each per second, ${SECONDS} s`);
console.log('sync | user % of a core | system % | total % | wall s');
for (const [name, interval] of [['every 5 s', 5000], ['at finish only', NEVER]] as const) {
  const r = await run(interval);
  console.log(`${name.padEnd(14)} | ${r.user.toFixed(1).padStart(16)} | ${r.system.toFixed(1).padStart(8)} | ${(r.user + r.system).toFixed(1).padStart(7)} | ${r.seconds.toFixed(1)}`);
}
