// Concurrent IVR legs: a real Switchboard (bench/support/server.ts, production composition) opens
// N RTP sessions, each with a Player looping a long espeak-ng prompt, all paced by the media
// engine's one PacingClock; receivers in separate processes (bench/support/rtp-peer-process.ts)
// timestamp every packet. Reported per step: send jitter as the deviation of each packet's
// inter-arrival time from 20 ms (per stream, aggregated over all streams) at p50 / p99 / max,
// loss from sequence numbers, the server's CPU, and the pacing clock's own timing (its tick
// intervals, seen from a task ahead of every leg) with its late and skipped frames.
// With ≥ 2 cores the server owns the last core and the receivers the others (taskset).
// Target (issue): ≥ 500 legs with p99 ≤ 5 ms.
// Needs: espeak-ng (apt-get install -y espeak-ng), util-linux's taskset.
// Run: node bench/ivr-legs.ts [--legs=100,250,500,750,1000] [--seconds=10] [--warmup=2] [--workers=1] [--no-pin]
//   [--nice=0 (e.g. -10 on a shared machine)]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus as machineCpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FRAME_MS, type Player, type RtpFormat, type RtpSession } from '../src/media/index.ts';
import { Histogram } from './support/histogram.ts';
import { freePorts } from './support/ports.ts';
import { coreMeter, cpuMeter, loadAverage, pin, renice, splitCpus } from './support/processes.ts';
import { speechWav } from './support/prompts.ts';
import { RtpPeers, share, type RunTotals } from './support/rtp-peers.ts';
import { startBenchServer } from './support/server.ts';

const { values: opt } = parseArgs({
  options: {
    legs: { type: 'string', default: '100,250,500,750,1000' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    workers: { type: 'string', default: '1' },
    'no-pin': { type: 'boolean', default: false },
    nice: { type: 'string', default: '0' },
  },
});
const STEPS = opt.legs.split(',').map(Number);
const MEASURE_MS = Number(opt.seconds) * 1000;
const WARMUP_MS = Number(opt.warmup) * 1000;
const TARGET_LEGS = 500;
const TARGET_P99_MS = 5;
const MAX_LOSS = 0.001;
const HOST = '127.0.0.1';
// RTP/UDP in 50000–59999: the server's sessions, its (idle) SIP port, the receivers.
const SERVER_RTP = '50000-53999';
const SERVER_SIP = await freePorts({ min: 59900, max: 59999 }, { tcp: true });
const PEER_PORTS = { min: 54000, max: 59899 };
const FORMAT: RtpFormat = { codec: 'PCMU', payloadType: 0, telephoneEventPt: 101, telephoneEventReceivePts: [101] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const work = mkdtempSync(join(tmpdir(), 'sb-bench-ivr-'));
const cpus = splitCpus(!opt['no-pin']);
const NICE = Number(opt.nice);
if (cpus.server) pin(process.pid, cpus.server);
renice(process.pid, NICE);

const server = await startBenchServer({ SB_RTP_PORTS: SERVER_RTP, SB_SIP_PORT: String(SERVER_SIP), SB_RECORD_CALLS: 'false' });
const engine = server.app.media!.engine;
speechWav(join(work, 'prompt.wav'));
const prompt = await engine.promptFromFile(join(work, 'prompt.wav'));
if (!prompt.ok) throw new Error(`the prompt did not load: ${prompt.message}`);
const promptS = prompt.item.kind === 'samples' ? prompt.item.samples.length / 8000 : 0;
const peers = await RtpPeers.start({ workers: Number(opt.workers), ports: PEER_PORTS, cpus: cpus.peers });
for (const pid of peers.pids) renice(pid, NICE);

console.log(`ivr-legs: ${MEASURE_MS / 1000} s per step after ${WARMUP_MS / 1000} s; each leg loops a ${promptS.toFixed(1)} s espeak-ng prompt`);
console.log(`load average before: ${loadAverage()}; server CPU ${cpus.server?.join(',') ?? 'unpinned'}, receivers CPU ${cpus.peers?.join(',') ?? 'unpinned'}, nice ${NICE}`);
console.log('\nlegs | packets/s (of 50 per leg) |     loss | jitter p50 / p99 / max ms | server CPU % of a core (of the machine) (others on its core) | clock tick p99 / max ms | pacing: late / skipped frames');

interface Step { legs: number; totals: RunTotals; cpu: number }
const steps: Step[] = [];
for (const legs of STEPS) {
  if (Math.max(...share(legs, peers.count)) > peers.socketsPerWorker) { console.log(`${legs} legs need more receiver ports than ${PEER_PORTS.min}–${PEER_PORTS.max}; stopping`); break; }
  const ports = (await peers.bind(share(legs, peers.count))).flat();
  // The clock's own timing, seen from its first task (ahead of every leg): |tick interval − 20 ms|.
  const ticks = new Histogram();
  let lastTick: number | undefined;
  let timing = false;
  const unprobe = engine.clock.add({
    tick: () => {
      const now = performance.now();
      if (timing && lastTick !== undefined) ticks.add(Math.abs(now - lastTick - FRAME_MS));
      lastTick = now;
    },
  });
  const sessions: RtpSession[] = [];
  const players: Player[] = [];
  for (const port of ports) {
    const s = await engine.openSession();
    // The receiver's RTCP port is its RTP port: it drops RTCP (RFC 5761 §4).
    s.configure({ address: HOST, port, rtcpPort: port }, FORMAT);
    const p = engine.player(s);
    void p.play([prompt.item], { loop: true });
    sessions.push(s);
    players.push(p);
  }
  const clock0 = { ...engine.clock.stats };
  const meter = cpuMeter(process.pid);
  const core = cpus.server ? coreMeter(cpus.server) : undefined;
  const running = peers.run({ mode: 'listen', warmupMs: WARMUP_MS, measureMs: MEASURE_MS, lateMs: 0 });
  await sleep(WARMUP_MS + 5);
  meter.lap();
  core?.lap();
  timing = true;
  await sleep(MEASURE_MS);
  timing = false;
  const cpu = meter.lap().percentOfCore;
  const coreBusy = core?.lap();
  const others = coreBusy === undefined ? '–' : Math.max(0, coreBusy - cpu).toFixed(0);
  const totals = await running;
  const clock = engine.clock.stats;
  unprobe();
  for (const p of players) p.stop();
  for (const s of sessions) s.close();
  await peers.unbind();
  steps.push({ legs, totals, cpu });
  const j = totals.interArrival;
  console.log([
    String(legs).padStart(4), `${(totals.received / (MEASURE_MS / 1000)).toFixed(0)} (${((100 * totals.received) / ((legs * 50 * MEASURE_MS) / 1000)).toFixed(1)} %)`.padStart(25),
    `${(100 * totals.lossRatio).toFixed(3)} %`.padStart(8),
    `${j.quantile(0.5).toFixed(2)} / ${j.quantile(0.99).toFixed(2)} / ${j.maxMs.toFixed(1)}`.padStart(25),
    `${cpu.toFixed(0)} (${(cpu / machineCpus().length).toFixed(0)}) (${others})`.padStart(60),
    `${ticks.quantile(0.99).toFixed(2)} / ${ticks.maxMs.toFixed(1)}`.padStart(24),
    `${clock.lateFrames - clock0.lateFrames} / ${clock.skippedFrames - clock0.skippedFrames}`.padStart(29),
  ].join(' | '));
  await sleep(500);
}
await peers.stop();
await server.close();
console.log(`\nload average after: ${loadAverage()}`);
// A frame the pacing clock skipped is never sent, so it leaves no gap in the sequence numbers:
// the packets that arrived are also held against 50 per leg per second (give or take the one
// packet per leg that the window's edges may cut).
const delivered = (s: Step) => (s.totals.received + s.legs) / ((s.legs * 50 * MEASURE_MS) / 1000);
const ok = steps.filter((s) => s.totals.interArrival.quantile(0.99) <= TARGET_P99_MS && s.totals.lossRatio <= MAX_LOSS && delivered(s) >= 1 - MAX_LOSS);
const bestLegs = Math.max(0, ...ok.map((s) => s.legs));
console.log(`most legs with jitter p99 ≤ ${TARGET_P99_MS} ms, loss ≤ 0.1 % and ≥ 99.9 % of the packets due: ${bestLegs}${bestLegs === STEPS.at(-1) ? ' (the largest step: more may hold)' : ''}`);
console.log(`target ≥ ${TARGET_LEGS} legs: ${bestLegs >= TARGET_LEGS ? 'met' : 'NOT met'}`);
rmSync(work, { recursive: true, force: true });
