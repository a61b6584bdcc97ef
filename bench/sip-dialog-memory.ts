// Memory held per SIP dialog: sipp places 5,000 calls through Switchboard to a sipp phone and holds
// them (10,000 dialogs: each call is two legs, one dialog each); the heap is measured after a full
// garbage collection before the calls and while all are up. Target (issue 3): ≤ 10 KB per dialog.
// Run: node --expose-gc bench/sip-dialog-memory.ts [calls=5000] [rate=500]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { aorOf } from '../src/sip/index.ts';
import { startBenchServer } from './support/server.ts';

const CALLS = Number(process.argv[2] ?? 5000);
const RATE = Number(process.argv[3] ?? 500);
const UAS_PORT = 46070;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with --expose-gc: node --expose-gc bench/sip-dialog-memory.ts');
  process.exit(2);
}
const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const server = await startBenchServer();
const tenant = (await server.app.tenants.bySlug('demo'))!;
const now = Date.now();
await server.app.sip!.registrar.register({
  tenantId: tenant.id, aor: aorOf('2000', 'demo'), contacts: [{ uri: `sip:2000@127.0.0.1:${UAS_PORT}` }], expiresHeader: 7200,
  callId: 'bench', cseq: 1, source: { protocol: 'udp', address: '127.0.0.1', port: UAS_PORT }, now,
});
const sippArgs = ['-i', '127.0.0.1', '-bind_local', '-nostdin', '-buff_size', '4194304'];
const uas = spawn('sipp', ['-sf', join(import.meta.dirname, 'scenarios', 'uas-answer-no180.xml'), '-p', String(UAS_PORT), '-ci', '127.0.0.1', '-cp', '48890', ...sippArgs], { stdio: 'ignore' });
await sleep(500);

// Warm up code paths (JIT, caches) with a few short calls, then take the baseline.
const warm = spawn('sipp', ['-sn', 'uac', `127.0.0.1:${server.sipPort}`, '-s', '2000', '-p', '46071', '-ci', '127.0.0.1', '-cp', '48891', '-m', '50', '-r', '50', '-d', '10', ...sippArgs], { stdio: 'ignore' });
await new Promise((r) => warm.once('exit', r));
await sleep(40_000); // let the warm-up's transactions reach Terminated (Timer J, 64*T1)
const before = heap();
const dialogsBefore = server.app.sip!.ua.activeDialogs;

const holdMs = Math.ceil(CALLS / RATE) * 1000 + 60_000;
const uac = spawn('sipp', ['-sn', 'uac', `127.0.0.1:${server.sipPort}`, '-s', '2000', '-p', '46072', '-ci', '127.0.0.1', '-cp', '48892',
  '-m', String(CALLS), '-r', String(RATE), '-d', String(holdMs), '-l', String(CALLS * 2), ...sippArgs], { stdio: 'ignore' });
const t0 = performance.now();
while (server.app.sip!.ua.activeDialogs < dialogsBefore + 2 * CALLS && performance.now() - t0 < holdMs) await sleep(250);
await sleep(40_000); // the INVITE and ACK transactions end (Timer L, 64*T1); only dialogs remain
const dialogs = server.app.sip!.ua.activeDialogs - dialogsBefore;
const during = heap();
const tx = server.app.sip!.stack.stats().transactions;
console.log(`dialogs held: ${dialogs} (${CALLS} calls × 2 legs), transactions still open: ${tx.server} server, ${tx.client} client`);
console.log(`heap before: ${(before / 1048576).toFixed(1)} MiB, while held: ${(during / 1048576).toFixed(1)} MiB`);
console.log(`heap per dialog: ${((during - before) / dialogs / 1024).toFixed(2)} KiB (target ≤ 10 KB); per call: ${((during - before) / CALLS / 1024).toFixed(2)} KiB`);
uac.kill('SIGTERM');
uas.kill('SIGTERM');
await server.close();
process.exit(0);
