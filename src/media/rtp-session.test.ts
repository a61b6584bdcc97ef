// One RtpSession over real UDP on loopback, its time on a manual timer: the RTCP interval
// (RFC 3550 §6.2), the pacing clock joined only for RFC 4733 events, and the connected socket's
// listening windows that keep foreign sources counted.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { ManualPacingTimer, PacingClock } from './pacing-clock.ts';
import { PortPool } from './port-pool.ts';
import { isRtcp, parseRtp, writeRtpHeader } from './rtp-packet.ts';
import { LISTEN_MS, RTCP_INTERVAL_MS, RtpSession } from './rtp-session.ts';
import { TelephoneEventReceiver } from './telephone-event.ts';

const PCMU = { codec: 'PCMU', payloadType: 0, telephoneEventPt: 101, telephoneEventReceivePts: [101] } as const;
const HOST = '127.0.0.1';

/** A far end on one socket that takes RTP and RTCP alike (RFC 5761 §4 tells them apart). */
class Far {
  readonly socket = dgram.createSocket('udp4');
  readonly rtp: Buffer[] = [];
  readonly rtcp: Buffer[] = [];
  port = 0;
  seq = 100;

  async open(): Promise<this> {
    await new Promise<void>((r) => this.socket.bind(0, HOST, r));
    this.port = this.socket.address().port;
    this.socket.on('message', (m) => (isRtcp(m) ? this.rtcp : this.rtp).push(m));
    return this;
  }

  send(to: number, fill = 0x55): void {
    const buf = Buffer.alloc(172, fill);
    writeRtpHeader(buf, 0, { marker: false, payloadType: 0, sequence: this.seq++, timestamp: this.seq * 160, ssrc: 0xabcdef01 });
    this.socket.send(buf, to, HOST);
  }
}

const settle = (ms = 10) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean): Promise<void> {
  for (let waited = 0; !ok(); waited += 5) {
    if (waited > 3000) assert.fail(`timed out waiting for ${what}`);
    await settle(5);
  }
}

describe('RtpSession on an injected time source', () => {
  const pool = new PortPool({ min: 42000, max: 42099 });
  const sessions: RtpSession[] = [];
  const fars: Far[] = [];
  after(() => {
    for (const s of sessions) s.close();
    for (const f of fars) f.socket.close();
  });

  async function setup(random?: () => number) {
    const timer = new ManualPacingTimer();
    const clock = new PacingClock({ timer });
    const pair = await pool.open(HOST);
    const session = new RtpSession(pair, { now: () => timer.now(), timer, clock, cname: 'test@switchboard', ended: () => {}, release: () => pool.release(pair.port), random });
    sessions.push(session);
    const far = await new Far().open();
    fars.push(far);
    // The far end's RTCP port is its RTP port, so one socket sees both, in the order they were sent.
    session.configure({ address: HOST, port: far.port, rtcpPort: far.port }, PCMU);
    /** Our own audio as a marker: once it arrives, every report sent before it has arrived too. */
    let marks = 0;
    const reportsSoFar = async () => {
      session.sendPcm(new Int16Array(160));
      marks++;
      await until('the marker packet', () => far.rtp.length >= marks);
      return far.rtcp.length;
    };
    return { timer, clock, session, far, reportsSoFar };
  }

  test('RFC 3550 §6.2: each report comes 5 s × (0.5 + random) after the previous one, on the session\'s own timer', async () => {
    const randoms = [0, 0.5, 0.9];
    const { timer, clock, reportsSoFar } = await setup(() => randoms.shift() ?? 0.5);
    assert.equal(clock.taskCount, 0, 'an idle session puts nothing on the 20 ms clock');
    let at = 0;
    for (const [i, interval] of [0.5, 1, 1.4].map((f, i) => [i, RTCP_INTERVAL_MS * f] as const)) {
      timer.advance(interval - 1);
      assert.equal(await reportsSoFar(), i, `no report ${i + 1} before ${at + interval} ms`);
      timer.advance(1);
      assert.equal(await reportsSoFar(), i + 1, `report ${i + 1} at ${at + interval} ms`);
      at += interval;
    }
    assert.equal(clock.taskCount, 0);
  });

  test('over ten minutes the intervals average 5 s: between 80 and 240 reports, each 2.5–7.5 s after the last (to the 1 s step)', async () => {
    const { timer, far, reportsSoFar } = await setup();
    const arrivals: number[] = [];
    for (let t = 0; t < 600_000; t += 1000) {
      timer.advance(1000);
      const n = await reportsSoFar();
      while (arrivals.length < n) arrivals.push(timer.now());
    }
    assert.ok(arrivals.length >= 80 && arrivals.length <= 240, `${arrivals.length} reports`);
    const gaps = arrivals.slice(1).map((x, i) => x - arrivals[i]!);
    assert.ok(gaps.every((g) => g >= 2000 && g <= 8000), `gaps ${Math.min(...gaps)}–${Math.max(...gaps)} ms`);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    assert.ok(mean > 4000 && mean < 6000, `mean ${mean} ms`);
    // Every report is a compound packet from our SSRC starting with an SR (we sent audio).
    assert.ok(far.rtcp.every((m) => m[1] === 200));
  });

  test('RFC 4733 events: the session joins the pacing clock while a key press is sent and leaves it after', async () => {
    const { timer, clock, session, far } = await setup();
    assert.ok(session.sendDigit('7', 100));
    assert.equal(clock.taskCount, 1);
    for (let i = 0; i < 20 && session.sendingDigit; i++) timer.advance(20);
    assert.equal(session.sendingDigit, false);
    timer.advance(20);
    assert.equal(clock.taskCount, 0, 'off the clock once the end packets are out');
    await until('the event packets', () => far.rtp.length >= 7);
    const rx = new TelephoneEventReceiver();
    const got = far.rtp.map((m) => { const h = parseRtp(m)!; return rx.receive(h, m.subarray(12)); }).filter((r) => r?.kind === 'begin');
    assert.deepEqual(got.map((r) => r!.digit), ['7']);
  });

  test('latched, the socket is connected; a listening window at each RTCP interval counts foreign packets, which keeps it open until an interval passes without any', async () => {
    // Reports every 2.5 s exactly: at 2500, 5000, 7500, …
    const { timer, session, far } = await setup(() => 0);
    const intruder = await new Far().open();
    fars.push(intruder);
    assert.equal(session.connected, false, 'not before a source is latched');
    let relayed = 0;
    session.onAudio = () => { relayed++; };
    /** Sends from the far end and waits for it: everything sent before it has been dealt with. */
    const sync = async () => { const n = relayed; far.send(session.port); await until('the far end\'s packet', () => relayed > n); };
    await sync();
    assert.equal(session.connected, true);
    intruder.send(session.port, 0x11);
    intruder.send(session.port, 0x11);
    await sync();
    assert.equal(session.stats.foreign, 0, 'while connected the kernel drops other sources before they reach us');
    timer.advance(2500);
    assert.equal(session.connected, false, 'the listening window opens with the report');
    intruder.send(session.port, 0x11);
    intruder.send(session.port, 0x11);
    await sync();
    assert.equal(session.stats.foreign, 2);
    timer.advance(LISTEN_MS);
    assert.equal(session.connected, false, 'a window that saw foreign packets leaves the socket open');
    intruder.send(session.port, 0x11);
    await sync();
    assert.equal(session.stats.foreign, 3, 'every foreign packet counted while open');
    timer.advance(5000 - 2500 - LISTEN_MS);
    assert.equal(session.connected, false, 'foreign packets in the last interval: still open');
    timer.advance(2500);
    assert.equal(session.connected, true, 'a quiet interval: connected again');
    intruder.send(session.port, 0x11);
    await sync();
    assert.equal(session.stats.foreign, 3);
    // A quiet window reconnects at its end.
    timer.advance(2500);
    assert.equal(session.connected, false);
    timer.advance(LISTEN_MS);
    assert.equal(session.connected, true);
    assert.equal(relayed, 5, 'only the far end\'s packets were handed on');
    assert.equal(intruder.rtp.length, 0, 'and nothing was sent to the intruder');
  });

  test('moving the peer (a re-INVITE) disconnects and unlatches; the new party is latched and connected', async () => {
    const { session, far } = await setup(() => 0.5);
    const next = await new Far().open();
    fars.push(next);
    let fromNext = 0;
    session.onAudio = (p) => { if (p.buf[12] === 0x22) fromNext++; };
    far.send(session.port);
    await until('latched', () => session.connected);
    session.configure({ address: HOST, port: next.port, rtcpPort: next.port }, PCMU);
    assert.equal(session.connected, false);
    next.send(session.port, 0x22);
    await until('the new party latched', () => fromNext === 1);
    assert.equal(session.connected, true);
    assert.deepEqual(session.peer, { address: HOST, port: next.port, rtcpPort: next.port + 1 });
    session.sendPcm(new Int16Array(160));
    await until('our audio at the new party', () => next.rtp.length === 1);
    assert.equal(far.rtp.length, 0, 'nothing goes to the old one');
  });
});
