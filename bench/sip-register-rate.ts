// Registrations per second with digest authentication from 10,000 distinct users: each user sends
// REGISTER, gets 401 with a nonce, and registers with an MD5 digest response (two round trips and
// a database write per registration). The load generator runs in a worker thread on the other core.
// Target (issue 3): ≥ 1,000 registrations/s. Run: node bench/sip-register-rate.ts [users=10000] [in-flight=200]
import { createHash, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { systemClock } from '../src/kernel/index.ts';
import { SqlPhoneStore } from '../src/voice/index.ts';
import { startBenchServer } from './support/server.ts';

interface Job { port: number; users: number; inFlight: number }
interface Result { ok: number; failed: number; wallS: number; retransmits: number }

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const user = (i: number) => `u${String(i).padStart(5, '0')}`;

if (isMainThread) {
  const users = Number(process.argv[2] ?? 10_000);
  const inFlight = Number(process.argv[3] ?? 200);
  const server = await startBenchServer();
  const tenant = (await server.app.tenants.bySlug('demo'))!;
  const store = new SqlPhoneStore(server.app.storage.db, systemClock);
  const t0 = performance.now();
  for (let i = 0; i < users; i++) await store.create(tenant.id, 'demo', { username: user(i), displayName: user(i), password: `pw-${i}` });
  console.log(`${users} phones created in ${((performance.now() - t0) / 1000).toFixed(1)} s (storage: ${server.app.storage.dialect})`);
  const c0 = process.cpuUsage();
  const worker = new Worker(new URL(import.meta.url), { workerData: { port: server.sipPort, users, inFlight } satisfies Job });
  const r = await new Promise<Result>((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
  const cpu = process.cpuUsage(c0);
  console.log(`registrations: ${r.ok} ok, ${r.failed} failed, ${r.retransmits} retransmitted, in ${r.wallS.toFixed(2)} s`);
  console.log(`rate: ${(r.ok / r.wallS).toFixed(0)} registrations/s (${inFlight} in flight; target ≥ 1000)`);
  console.log(`Switchboard process CPU (server + generator thread): ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`);
  const bound = await server.app.sip!.registrar.lookup(tenant.id, `sip:${user(users - 1)}@demo`, Date.now());
  console.log(`check: last user has ${bound.length} binding(s)`);
  await worker.terminate();
  await server.close();
} else {
  const job = workerData as Job;
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const local = sock.address().port;
  const pending = new Map<string, { i: number; step: 1 | 2; sent: number; bytes: Buffer }>();
  let next = 0;
  let ok = 0;
  let failed = 0;
  let retransmits = 0;
  const t0 = performance.now();
  const register = (i: number, cseq: number, callId: string, auth?: string): Buffer => Buffer.from([
    `REGISTER sip:127.0.0.1:${job.port} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
    'Max-Forwards: 70', `From: <sip:${user(i)}@demo>;tag=${i}`, `To: <sip:${user(i)}@demo>`, `Call-ID: ${callId}`, `CSeq: ${cseq} REGISTER`,
    `Contact: <sip:${user(i)}@127.0.0.1:${local}>`, 'Expires: 3600', ...(auth ? [`Authorization: ${auth}`] : []), 'Content-Length: 0', '', '',
  ].join('\r\n'));
  const send = (callId: string, entry: { i: number; step: 1 | 2; sent: number; bytes: Buffer }) => {
    pending.set(callId, entry);
    sock.send(entry.bytes, job.port, '127.0.0.1');
  };
  const start = () => {
    while (pending.size < job.inFlight && next < job.users) {
      const i = next++;
      const callId = `reg-${i}`;
      send(callId, { i, step: 1, sent: performance.now(), bytes: register(i, 1, callId) });
    }
    if (pending.size === 0 && next >= job.users) {
      parentPort!.postMessage({ ok, failed, retransmits, wallS: (performance.now() - t0) / 1000 } satisfies Result);
    }
  };
  sock.on('message', (msg) => {
    const text = msg.toString('latin1');
    const callId = /\r\nCall-ID: ([^\r]+)/i.exec(text)?.[1];
    const entry = callId && pending.get(callId);
    if (!entry || !callId) return;
    const status = Number(text.slice(8, 11));
    if (entry.step === 1 && status === 401) {
      const nonce = /nonce="([^"]+)"/.exec(text)![1]!;
      const uri = `sip:127.0.0.1:${job.port}`;
      const ha1 = md5(`${user(entry.i)}:demo:pw-${entry.i}`);
      const response = md5(`${ha1}:${nonce}:00000001:c0ffee:auth:${md5(`REGISTER:${uri}`)}`);
      const auth = `Digest username="${user(entry.i)}", realm="demo", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="c0ffee"`;
      send(callId, { i: entry.i, step: 2, sent: performance.now(), bytes: register(entry.i, 2, callId, auth) });
      return;
    }
    if (entry.step === 2 && status >= 200) {
      pending.delete(callId);
      if (status === 200) ok++; else failed++;
      start();
    }
  });
  // A lost datagram is sent again after 1 s (what a UA's Timer E would do).
  setInterval(() => {
    const now = performance.now();
    for (const [, e] of pending) if (now - e.sent > 1000) { e.sent = now; retransmits++; sock.send(e.bytes, job.port, '127.0.0.1'); }
  }, 250).unref();
  start();
}
