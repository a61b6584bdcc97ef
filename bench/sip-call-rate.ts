// Call setup rate through Switchboard: sipp UAC → Switchboard (B2BUA, extension 2000) → sipp UAS,
// no media, zero hold, stepping the offered rate; then the same sipp run through Kamailio as a
// stateful proxy (tm, t_relay) when Debian's kamailio is installed. Prints both and the ratio.
// Target (issue 3): ≥ 200 call setups/s with ≤ 0.1 % failures; ≥ 0.2× Kamailio.
// Run: node bench/sip-call-rate.ts [seconds-per-step=10] [rates=200,400,800,1200,1600]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aorOf } from '../src/sip/index.ts';
import { startBenchServer } from './support/server.ts';

const SECONDS = Number(process.argv[2] ?? 10);
const RATES = (process.argv[3] ?? '200,400,800,1200,1600').split(',').map(Number);
const UAS_PORT = 45070;
const work = mkdtempSync(join(tmpdir(), 'sb-bench-rate-'));
// 50 ms between ACK and BYE for both peers: Kamailio's two UDP workers reorder messages of one
// dialog otherwise (INTEROP.md §7); the callee sends no 180 for the same reason.
const HOLD = ['-d', '50'];

interface Step { rate: number; ok: number; failed: number; achieved: number; proxyCpuS?: number }

function sipp(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('sipp', args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

const counter = (out: string, name: string): number => {
  const line = out.split('\n').filter((l) => l.startsWith(`  ${name}`)).at(-1) ?? '';
  return Number(line.split('|')[2]?.trim() ?? 'NaN');
};

async function step(target: string, rate: number, extra: string[]): Promise<Step> {
  const uas = spawn('sipp', ['-sf', join(import.meta.dirname, 'scenarios', 'uas-answer-no180.xml'), '-p', String(UAS_PORT), '-i', '127.0.0.1', '-bind_local', '-ci', '127.0.0.1', '-cp', '48888', '-nostdin', '-buff_size', '4194304'], { cwd: work, stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  const calls = rate * SECONDS;
  const t0 = performance.now();
  const r = await sipp(['-sn', 'uac', target, '-s', '2000', '-i', '127.0.0.1', '-p', '45071', '-bind_local', '-ci', '127.0.0.1', '-cp', '48889', '-nostdin',
    '-buff_size', '4194304', '-r', String(rate), '-m', String(calls), '-timeout', `${SECONDS * 4}s`, '-timeout_error', ...extra]);
  const wall = (performance.now() - t0) / 1000;
  uas.kill('SIGTERM');
  await new Promise((res) => uas.once('exit', res));
  const ok = counter(r.out, 'Successful call');
  // Calls that neither succeeded nor failed by the end (sipp's global timeout) count as failed.
  const failed = Math.max(counter(r.out, 'Failed call'), calls - ok);
  return { rate, ok, failed, achieved: ok / wall };
}

function print(label: string, steps: Step[]): number {
  console.log(`\n${label}`);
  console.log('offered cps | ok / failed | failure % | achieved cps');
  let best = 0;
  for (const s of steps) {
    const pct = (100 * s.failed) / Math.max(1, s.ok + s.failed);
    console.log(`${String(s.rate).padStart(11)} | ${s.ok} / ${s.failed} | ${pct.toFixed(3)} | ${s.achieved.toFixed(1)}`);
    if (pct <= 0.1) best = Math.max(best, Math.min(s.rate, s.achieved));
  }
  console.log(`sustained call setup rate with ≤ 0.1 % failures: ${best.toFixed(0)} cps`);
  return best;
}

// Switchboard
const server = await startBenchServer();
const tenant = (await server.app.tenants.bySlug('demo'))!;
await server.app.phones.create(tenant.id, { username: '2000', displayName: 'Bench UAS', password: 'bench-password-2000' });
const now = Date.now();
await server.app.sip!.registrar.register({
  tenantId: tenant.id, aor: aorOf('2000', 'demo'), contacts: [{ uri: `sip:2000@127.0.0.1:${UAS_PORT}` }], expiresHeader: 7200,
  callId: 'bench', cseq: 1, source: { protocol: 'udp', address: '127.0.0.1', port: UAS_PORT }, now,
});
const ours: Step[] = [];
for (const rate of RATES) {
  const c0 = process.cpuUsage();
  const s = await step(`127.0.0.1:${server.sipPort}`, rate, HOLD);
  const c = process.cpuUsage(c0);
  s.proxyCpuS = (c.user + c.system) / 1e6;
  ours.push(s);
  console.log(`switchboard ${rate} cps: ${s.ok} ok, ${s.failed} failed, Switchboard CPU ${s.proxyCpuS.toFixed(2)} s (${((1000 * s.proxyCpuS) / Math.max(1, s.ok)).toFixed(2)} ms per call)`);
}
await server.close();
const sbBest = print('Switchboard (B2BUA: two dialogs and four transactions per call)', ours);

// Kamailio, stateful proxy
let kamBest: number | undefined;
if (spawnSync('kamailio', ['-v'], { stdio: 'ignore' }).status === 0) {
  const modules = ['/usr/lib/x86_64-linux-gnu/kamailio/modules/', '/usr/lib/kamailio/modules/'].find((p) => { try { readFileSync(join(p, 'tm.so')); return true; } catch { return false; } });
  const cfg = join(work, 'stateful.cfg');
  writeFileSync(cfg, [
    '#!KAMAILIO', 'debug=0', 'log_stderror=yes', 'children=2', 'listen=udp:127.0.0.1:45060', 'disable_tcp=yes', 'auto_aliases=no', 'dns=no', 'rev_dns=no',
    'use_dns_cache=no', 'udp_mtu=0', 'maxbuffer=4194304', `mpath="${modules}"`, 'loadmodule "tm.so"', 'loadmodule "sl.so"', 'loadmodule "rr.so"', 'loadmodule "maxfwd.so"', 'loadmodule "pv.so"', 'loadmodule "textops.so"', 'loadmodule "siputils.so"',
    'request_route {', '  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }',
    '  if (has_totag()) { if (loose_route()) { t_relay(); exit; } if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; } }',
    '  if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }', '  t_check_trans();', '  if (is_method("INVITE")) record_route();',
    `  $du = "sip:127.0.0.1:${UAS_PORT}";`, '  if (!t_relay()) { sl_reply_error(); }', '  exit;', '}', '',
  ].join('\n'));
  const check = spawnSync('kamailio', ['-c', '-f', cfg], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`kamailio config: ${check.stderr}`);
  const kam = spawn('kamailio', ['-DD', '-E', '-f', cfg, '-Y', work, '-P', join(work, 'kam.pid'), '-w', work, '-m', '256', '-M', '8'], { stdio: 'ignore' });
  const kamExited = new Promise((res) => kam.once('exit', res));
  await new Promise((r) => setTimeout(r, 1500));
  const theirs: Step[] = [];
  for (const rate of RATES) theirs.push(await step('127.0.0.1:45060', rate, HOLD));
  kam.kill('SIGTERM');
  await kamExited;
  kamBest = print('Kamailio 5.6 stateful proxy (tm, record-route), same sipp runs', theirs);
} else {
  console.log('\nKamailio is not installed (apt-get install -y kamailio): no peer figures.');
}
if (kamBest) console.log(`\nratio Switchboard / Kamailio (sustained cps at ≤ 0.1 % failures): ${(sbBest / kamBest).toFixed(2)}; the offered steps cap both at ${Math.max(...RATES)} cps`);
rmSync(work, { recursive: true, force: true });
