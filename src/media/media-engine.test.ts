// The media engine over real UDP on loopback: raw sockets play the far ends.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { silentLogger } from '../kernel/index.ts';
import { ManualPacingTimer } from './pacing-clock.ts';
import { LISTEN_MS, RTCP_INTERVAL_MS } from './rtp-session.ts';
import { MediaEngine } from './media-engine.ts';
import { ulawToAlaw, ulawEncode, ulawDecode } from './g711.ts';
import { parseRtp, writeRtpHeader } from './rtp-packet.ts';
import { TelephoneEventReceiver, writeTelephoneEvent } from './telephone-event.ts';
import { TONE_PLANS } from './tones.ts';
import { dtmfTone } from './inband-dtmf.ts';
import type { RtpSession } from './rtp-session.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRecordingStore } from './recording-store.local.ts';
import { createRecordingKeys } from './recording-keys.ts';
import { parseWav } from './wav.ts';

const PCMU = { codec: 'PCMU', payloadType: 0, telephoneEventPt: 101, telephoneEventReceivePts: [101] } as const;
const PCMA = { codec: 'PCMA', payloadType: 8, telephoneEventPt: 96, telephoneEventReceivePts: [96] } as const;

/** A far end: a UDP socket that sends RTP and keeps what it receives. */
class Peer {
  readonly socket = dgram.createSocket('udp4');
  readonly received: Buffer[] = [];
  port = 0;
  seq = 1000;
  ts = 50_000;
  readonly ssrc = 0x11223344;

  async open(): Promise<this> {
    await new Promise<void>((r) => this.socket.bind(0, '127.0.0.1', r));
    this.port = this.socket.address().port;
    this.socket.on('message', (m) => this.received.push(m));
    return this;
  }

  /** Sends one RTP packet to `port` (a 160-byte payload by default). */
  send(port: number, opts: { pt?: number; payload?: Uint8Array; marker?: boolean; timestamp?: number; ssrc?: number } = {}): void {
    const payload = opts.payload ?? new Uint8Array(160).fill(0x55);
    const buf = Buffer.alloc(12 + payload.length);
    writeRtpHeader(buf, 0, { marker: opts.marker ?? false, payloadType: opts.pt ?? 0, sequence: this.seq++, timestamp: opts.timestamp ?? this.ts, ssrc: opts.ssrc ?? this.ssrc });
    if (opts.timestamp === undefined) this.ts += 160;
    buf.set(payload, 12);
    this.socket.send(buf, port, '127.0.0.1');
  }

  raw(port: number, bytes: Uint8Array): void {
    this.socket.send(bytes, port, '127.0.0.1');
  }

  close(): void {
    this.socket.close();
  }
}

const settle = (ms = 60) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean, ms = 3000): Promise<void> {
  for (let waited = 0; !ok(); waited += 10) {
    if (waited > ms) assert.fail(`timed out waiting for ${what}`);
    await settle(10);
  }
}

describe('media engine over real UDP', () => {
  let engine: MediaEngine;
  const open: RtpSession[] = [];
  const peers: Peer[] = [];
  const session = async () => { const s = await engine.openSession(); open.push(s); return s; };
  const peer = async () => { const p = await new Peer().open(); peers.push(p); return p; };

  let dir: string;
  let store: LocalRecordingStore;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-media-'));
    store = new LocalRecordingStore({ root: join(dir, 'recordings'), keys: await createRecordingKeys({ keyFile: join(dir, 'keys', 'master.key') }) });
    engine = new MediaEngine({ bindHost: '127.0.0.1', ports: { min: 43000, max: 43999 }, log: silentLogger, recordings: store });
  });
  after(() => {
    for (const p of peers) p.close();
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('RFC 3550 §11: sessions take even RTP ports with RTCP on the next one; closed ports return to the pool', async () => {
    const before = engine.ports.available;
    const s = await engine.openSession();
    assert.equal(s.port % 2, 0);
    assert.equal(engine.ports.available, before - 1);
    s.close();
    await until('the port back in the pool', () => engine.ports.available === before);
  });

  test('a bridge relays with the outgoing leg\'s own SSRC, sequence and timestamp, keeping gaps and the payload', async () => {
    const [a, b] = [await session(), await session()];
    const [pa, pb] = [await peer(), await peer()];
    a.configure({ address: '127.0.0.1', port: pa.port, rtcpPort: pa.port + 1 }, PCMU);
    b.configure({ address: '127.0.0.1', port: pb.port, rtcpPort: pb.port + 1 }, PCMU);
    const bridge = engine.bridge(a, b);
    const payload = new Uint8Array(160).map((_, i) => i);
    for (let i = 0; i < 5; i++) {
      if (i === 3) { pa.seq++; pa.ts += 160; } // one packet lost on the way in
      pa.send(a.port, { payload });
      await settle(5);
    }
    await until('5 relayed packets', () => pb.received.length === 5);
    const hs = pb.received.map((m) => parseRtp(m)!);
    assert.ok(hs.every((h) => h.ssrc === b.ssrc && h.payloadType === 0));
    assert.deepEqual(hs.map((h) => (h.sequence - hs[0]!.sequence) & 0xffff), [0, 1, 2, 4, 5], 'the loss stays visible');
    assert.deepEqual(hs.map((h) => (h.timestamp - hs[0]!.timestamp) >>> 0), [0, 160, 320, 640, 800]);
    assert.deepEqual(new Uint8Array(pb.received[0]!.subarray(12)), payload);
    assert.equal(a.stats.packetsReceived, 5);
    bridge.close();
  });

  test('a muted side is not relayed (its key presses still are), and unmuting relays again', async () => {
    const [a, b] = [await session(), await session()];
    const [pa, pb] = [await peer(), await peer()];
    a.configure({ address: '127.0.0.1', port: pa.port, rtcpPort: pa.port + 1 }, PCMU);
    b.configure({ address: '127.0.0.1', port: pb.port, rtcpPort: pb.port + 1 }, PCMU);
    const bridge = engine.bridge(a, b);
    pa.send(a.port);
    await until('the first packet relayed', () => pb.received.length === 1);
    bridge.mute(a, true);
    assert.equal(bridge.isMuted(a), true);
    for (let i = 0; i < 3; i++) { pa.send(a.port); await settle(5); }
    const event = new Uint8Array(4);
    writeTelephoneEvent(event, 0, { event: 5, end: false, volume: 10, duration: 160 });
    pa.send(a.port, { pt: 101, payload: event, marker: true });
    await until('the key press relayed while muted', () => pb.received.length === 2);
    assert.equal(parseRtp(pb.received[1]!)!.payloadType, 101);
    assert.equal(a.stats.packetsReceived, 5, 'the muted audio still arrives (recorders hear it)');
    bridge.mute(a, false);
    pa.send(a.port);
    await until('audio relayed again', () => pb.received.length === 3);
    assert.equal(parseRtp(pb.received[2]!)!.payloadType, 0);
    bridge.close();
  });

  test('µ-law to A-law: the relayed payload is the G.711 transcoding of what came in', async () => {
    const [a, b] = [await session(), await session()];
    const [pa, pb] = [await peer(), await peer()];
    a.configure({ address: '127.0.0.1', port: pa.port, rtcpPort: pa.port + 1 }, PCMU);
    b.configure({ address: '127.0.0.1', port: pb.port, rtcpPort: pb.port + 1 }, PCMA);
    engine.bridge(a, b);
    const payload = new Uint8Array(160).map((_, i) => (i * 37) & 0xff);
    pa.send(a.port, { payload });
    await until('a relayed packet', () => pb.received.length === 1);
    const expected = new Uint8Array(160);
    ulawToAlaw(payload, expected, 160);
    assert.equal(parseRtp(pb.received[0]!)!.payloadType, 8);
    assert.deepEqual(new Uint8Array(pb.received[0]!.subarray(12)), expected);
  });

  test('garbage and truncated packets are counted and dropped; the session keeps working', async () => {
    const [a, b] = [await session(), await session()];
    const [pa, pb] = [await peer(), await peer()];
    a.configure({ address: '127.0.0.1', port: pa.port, rtcpPort: pa.port + 1 }, PCMU);
    b.configure({ address: '127.0.0.1', port: pb.port, rtcpPort: pb.port + 1 }, PCMU);
    engine.bridge(a, b);
    pa.raw(a.port, Buffer.from('not rtp at all'));
    pa.raw(a.port, Buffer.from([0x80, 0x00, 0x01]));
    pa.raw(a.port, Buffer.from([0x40, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]));
    pa.send(a.port, { pt: 18 });
    pa.send(a.port);
    await until('the good packet', () => pb.received.length === 1);
    assert.equal(a.stats.malformed, 3);
    assert.equal(a.stats.unknownPayloadType, 1);
    assert.equal(a.stats.packetsReceived, 1);
  });

  test('RFC 4733: a key press arrives as one digit however many packets carry it, and is relayed on the other leg\'s event PT', async () => {
    const [a, b] = [await session(), await session()];
    const [pa, pb] = [await peer(), await peer()];
    a.configure({ address: '127.0.0.1', port: pa.port, rtcpPort: pa.port + 1 }, PCMU);
    b.configure({ address: '127.0.0.1', port: pb.port, rtcpPort: pb.port + 1 }, PCMA);
    engine.bridge(a, b);
    const digits: string[] = [];
    a.onDigit = (d, source) => digits.push(`${d}:${source}`);
    const event = (digit: number, duration: number, end: boolean) => {
      const p = new Uint8Array(4);
      writeTelephoneEvent(p, 0, { event: digit, end, volume: 10, duration });
      return p;
    };
    for (const [n, digit] of [[0, 5], [1, 5], [2, 11]] as const) {
      const ts = 100_000 + n * 4000;
      pa.send(a.port, { pt: 101, marker: true, timestamp: ts, payload: event(digit, 160, false) });
      pa.send(a.port, { pt: 101, timestamp: ts, payload: event(digit, 320, false) });
      for (let i = 0; i < 3; i++) pa.send(a.port, { pt: 101, timestamp: ts, payload: event(digit, 480, true) });
      await settle(20);
    }
    await until('15 relayed event packets', () => pb.received.length === 15);
    assert.deepEqual(digits, ['5:rfc4733', '5:rfc4733', '#:rfc4733']);
    assert.ok(pb.received.every((m) => parseRtp(m)!.payloadType === 96));
    const rx = new TelephoneEventReceiver();
    const relayed = pb.received.map((m) => { const h = parseRtp(m)!; return rx.receive(h, m.subarray(12)); }).filter((r) => r?.kind === 'begin').map((r) => r!.digit);
    assert.deepEqual(relayed, ['5', '5', '#']);
  });

  test('sending digits: RFC 4733 packets paced by the shared clock, each press reported once by a receiver', async () => {
    const s = await session();
    const p = await peer();
    s.configure({ address: '127.0.0.1', port: p.port, rtcpPort: p.port + 1 }, PCMU);
    for (const d of '19#') assert.ok(s.sendDigit(d, 80));
    await until('all events sent', () => !s.sendingDigit, 5000);
    await settle();
    const rx = new TelephoneEventReceiver();
    const got = p.received.map((m) => { const h = parseRtp(m)!; return h.payloadType === 101 ? rx.receive(h, m.subarray(12)) : undefined; })
      .filter((r) => r?.kind === 'begin').map((r) => r!.digit);
    assert.deepEqual(got, ['1', '9', '#']);
  });

  test('in-band DTMF from a phone without telephone-event is detected from the audio', async () => {
    const s = await session();
    const p = await peer();
    s.configure({ address: '127.0.0.1', port: p.port, rtcpPort: p.port + 1 }, { codec: 'PCMU', payloadType: 0, telephoneEventReceivePts: [] });
    const digits: string[] = [];
    s.onDigit = (d, source) => digits.push(`${d}:${source}`);
    const audio = new Int16Array([...dtmfTone('7', 100), ...new Int16Array(800), ...dtmfTone('0', 100), ...new Int16Array(800)]);
    for (let off = 0; off + 160 <= audio.length; off += 160) {
      p.send(s.port, { payload: audio.subarray(off, off + 160).reduce((acc, x, i) => { acc[i] = ulawEncode(x); return acc; }, new Uint8Array(160)) });
      await settle(2);
    }
    await until('two digits', () => digits.length === 2);
    assert.deepEqual(digits, ['7:inband', '0:inband']);
  });

  test('a player sends 20 ms frames on the shared clock with contiguous sequence numbers and timestamps', async () => {
    const s = await session();
    const p = await peer();
    s.configure({ address: '127.0.0.1', port: p.port, rtcpPort: p.port + 1 }, PCMU);
    const player = engine.player(s);
    const outcome = await player.play([{ kind: 'tone', spec: TONE_PLANS.us.ringback, ms: 200 }, { kind: 'silence', ms: 100 }]);
    assert.equal(outcome, 'finished');
    await settle();
    const hs = p.received.map((m) => parseRtp(m)!);
    assert.equal(hs.length, 15);
    assert.ok(hs.every((h, i) => i === 0 || ((h.sequence - hs[i - 1]!.sequence) & 0xffff) === 1));
    assert.ok(hs.every((h, i) => i === 0 || ((h.timestamp - hs[i - 1]!.timestamp) >>> 0) === 160));
    const energy = (m: Buffer) => m.subarray(12).reduce((e, c) => e + Math.abs(ulawDecode(c)), 0);
    assert.ok(energy(p.received[2]!) > 100_000, 'the tone is audible');
    assert.equal(energy(p.received[14]!), 0, 'then silence');
  });

  test('barge-in: a key press cuts a prompt short; music on hold loops until stopped', async () => {
    const s = await session();
    const p = await peer();
    s.configure({ address: '127.0.0.1', port: p.port, rtcpPort: p.port + 1 }, PCMU);
    const player = engine.player(s);
    const prompt = player.play([{ kind: 'samples', samples: new Int16Array(8000 * 10).fill(1000) }], { bargeIn: true });
    await settle(100);
    assert.equal(player.interrupt(), true);
    assert.equal(await prompt, 'interrupted');
    const music = player.play([{ kind: 'samples', samples: new Int16Array(800).fill(500) }], { loop: true });
    await settle(300);
    assert.equal(player.interrupt(), false, 'music on hold is not barge-in');
    player.stop();
    assert.equal(await music, 'stopped');
    assert.ok(player.framesPlayed >= 10, `looped: ${player.framesPlayed} frames`);
  });

  test('a missing or unreadable prompt file is a clear error with a fallback tone to play instead', async () => {
    const missing = await engine.promptFromFile('/nonexistent/welcome.wav');
    assert.equal(missing.ok, false);
    assert.ok(!missing.ok && missing.code === 'prompt-unreadable' && /ENOENT/.test(missing.message));
    assert.ok(!missing.ok && missing.fallback.kind === 'tone');
    const notWav = await engine.promptFromFile(new URL(import.meta.url).pathname);
    assert.ok(!notWav.ok && notWav.code === 'prompt-unsupported');
  });

  test('mixer: a supervisor listens (hears both), whispers (heard by the agent only), barges in (heard by all)', async () => {
    const [caller, agent, sup] = [await session(), await session(), await session()];
    const [pc, pa, ps] = [await peer(), await peer(), await peer()];
    for (const [s, p] of [[caller, pc], [agent, pa], [sup, ps]] as const) s.configure({ address: '127.0.0.1', port: p.port, rtcpPort: p.port + 1 }, PCMU);
    const mixer = engine.mixer();
    const loud = new Uint8Array(160).map((_, i) => ulawEncode(i % 2 ? 8000 : -8000));
    /** Talks from the peers named for 200 ms; returns who heard anything. */
    const round = async (talkers: Peer[]) => {
      for (const p of [pc, pa, ps]) p.received.length = 0;
      for (let i = 0; i < 10; i++) { for (const p of talkers) p.send(p === pc ? caller.port : p === pa ? agent.port : sup.port, { payload: loud }); await settle(20); }
      await settle(80);
      const heard = (p: Peer) => p.received.some((m) => m.subarray(12).some((c) => Math.abs(ulawDecode(c)) > 1000));
      return { caller: heard(pc), agent: heard(pa), supervisor: heard(ps) };
    };
    mixer.monitor({ caller, agent, supervisor: sup }, 'listen');
    assert.deepEqual(await round([ps]), { caller: false, agent: false, supervisor: false }, 'listen: nobody hears the supervisor');
    assert.deepEqual(await round([pc]), { caller: false, agent: true, supervisor: true }, 'listen: the caller is heard by agent and supervisor');
    mixer.monitor({ caller, agent, supervisor: sup }, 'whisper');
    assert.deepEqual(await round([ps]), { caller: false, agent: true, supervisor: false }, 'whisper: only the agent hears the supervisor');
    mixer.monitor({ caller, agent, supervisor: sup }, 'barge');
    assert.deepEqual(await round([ps]), { caller: true, agent: true, supervisor: false }, 'barge: everyone hears the supervisor');
    mixer.close();
  });

  test('RTCP: receiver statistics are kept per session and a BYE goes out on close', async () => {
    const s = await engine.openSession();
    const p = await peer();
    const rtcp = dgram.createSocket('udp4');
    await new Promise<void>((r) => rtcp.bind(p.port + 1, '127.0.0.1', r));
    const reports: Buffer[] = [];
    rtcp.on('message', (m) => reports.push(m));
    s.configure({ address: '127.0.0.1', port: p.port, rtcpPort: p.port + 1 }, PCMU);
    for (let i = 0; i < 20; i++) { if (i === 10) { p.seq += 2; p.ts += 320; } p.send(s.port); }
    await until('20 packets', () => s.stats.packetsReceived === 20);
    assert.equal(s.stats.lost, 2);
    s.close();
    try {
      await until('the closing report', () => reports.length > 0);
    } finally {
      rtcp.close();
    }
    // The compound packet starts with an RR (PT 201) and ends with a BYE (PT 203).
    assert.equal(reports[0]![1], 201);
    assert.ok(reports[0]!.includes(203));
  });

  test('recorder: stereo WAV, caller left and agent right, in ≥ 1 s chunks; pause writes silence (and keeps key tones out)', async () => {
    const [a, b] = [await session(), await session()];
    const [pa, pb] = [await peer(), await peer()];
    a.configure({ address: '127.0.0.1', port: pa.port, rtcpPort: pa.port + 1 }, PCMU);
    b.configure({ address: '127.0.0.1', port: pb.port, rtcpPort: pb.port + 1 }, PCMU);
    engine.bridge(a, b);
    const recorder = await engine.record('tenant-a', 'rec-1');
    recorder.attach('left', a);
    recorder.attach('right', b);
    const left = new Uint8Array(160).fill(ulawEncode(6000));
    const right = new Uint8Array(160).fill(ulawEncode(-3000));
    const key = new Uint8Array(160);
    const tone = dtmfTone('5', 20);
    for (let i = 0; i < 160; i++) key[i] = ulawEncode(tone[i]!);
    /** 20 ms packets from both phones for `ms`, the caller sending `callerPayload`. */
    const talk = async (ms: number, callerPayload: Uint8Array) => {
      for (let t = 0; t < ms; t += 20) { pa.send(a.port, { payload: callerPayload }); pb.send(b.port, { payload: right }); await settle(20); }
    };
    await talk(1000, left);
    recorder.pause();
    await settle(100);
    await talk(600, key);
    await settle(250);
    recorder.resume();
    await talk(600, left);
    const result = await recorder.stop();
    assert.ok(result.durationMs >= 2000 && result.pausedMs >= 600, JSON.stringify(result));
    const read = await store.read('tenant-a', 'rec-1');
    assert.ok(read.ok && read.complete);
    assert.equal(read.sha256, result.sha256);
    const wav = parseWav(read.bytes);
    assert.ok(wav.ok && wav.wav.channels === 2 && wav.wav.sampleRate === 8000 && wav.wav.format === 'pcm16');
    const data = new DataView(wav.wav.data.buffer, wav.wav.data.byteOffset, wav.wav.data.byteLength);
    const frames = data.byteLength / 4;
    const at = (ch: 0 | 1, from: number, to: number) => {
      const xs: number[] = [];
      for (let i = Math.floor(from * 8000); i < Math.min(frames, Math.floor(to * 8000)); i++) xs.push(data.getInt16(i * 4 + ch * 2, true));
      return xs;
    };
    const mostly = (xs: number[], v: number) => xs.filter((x) => Math.abs(x - v) < 200).length / xs.length;
    assert.ok(mostly(at(0, 0.3, 0.9), ulawDecode(ulawEncode(6000))) > 0.8, 'the caller on the left');
    assert.ok(mostly(at(1, 0.3, 0.9), ulawDecode(ulawEncode(-3000))) > 0.8, 'the agent on the right');
    const all = at(0, 0, frames / 8000);
    const level = ulawDecode(ulawEncode(6000));
    assert.ok(all.every((x) => x === 0 || x === level), 'the key tone sent while paused is nowhere in the file');
    let run = 0;
    let longest = 0;
    for (let i = 0; i < frames; i++) {
      run = data.getInt16(i * 4, true) === 0 && data.getInt16(i * 4 + 2, true) === 0 ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    assert.ok(longest >= 0.6 * 8000, `silence on both channels while paused (${longest / 8} ms)`);
    assert.ok(mostly(all.slice(-3200), level) > 0.5, 'recording again after resume');
  });

  test('clean up: every session closes and the clock stops', () => {
    for (const s of open) s.close();
    assert.equal(engine.activeSessions, 0);
  });
});

describe('symmetric RTP on connected sockets (RTCP and listening on a manual timer)', () => {
  const timer = new ManualPacingTimer();
  const engine = new MediaEngine({ bindHost: '127.0.0.1', ports: { min: 42100, max: 42199 }, log: silentLogger, timer });
  const peers: Peer[] = [];
  const peer = async () => { const p = await new Peer().open(); peers.push(p); return p; };
  after(() => {
    for (const p of peers) p.close();
    engine.close();
  });

  test('the session latches onto where the far end really sends from; other sources are never relayed, and counted whenever the socket listens', async () => {
    const [a, b] = [await engine.openSession(), await engine.openSession()];
    const [pa, pb, intruder] = [await peer(), await peer(), await peer()];
    // The SDP names a port nothing listens on (a phone behind NAT): replies must go to the real source.
    a.configure({ address: '127.0.0.1', port: 9, rtcpPort: 10 }, PCMU);
    b.configure({ address: '127.0.0.1', port: pb.port, rtcpPort: pb.port + 1 }, PCMU);
    engine.bridge(a, b);
    const intruderPayload = new Uint8Array(160).fill(0x11);
    const fromIntruder = () => pb.received.filter((m) => m[12] === 0x11).length;
    /** The latched far end talks; once b's peer has it, everything sent to a before it was dealt with. */
    const sync = async () => { const n = pb.received.length; pa.send(a.port); await until('relay to b', () => pb.received.length === n + 1); };
    await sync();
    assert.equal(a.connected, true, 'latched and connected');
    pb.send(b.port);
    await until('relay back to the latched source', () => pa.received.length === 1);
    intruder.send(a.port, { payload: intruderPayload });
    intruder.send(a.port, { payload: intruderPayload });
    await sync();
    assert.equal(a.stats.foreign, 0, 'connected: the kernel drops the intruder before the session sees it');
    // Step to the first RTCP interval (2.5–7.5 s): the socket listens to every source.
    for (let t = 0; a.connected && t <= 1.5 * RTCP_INTERVAL_MS; t += 20) timer.advance(20);
    assert.equal(a.connected, false, 'listening');
    intruder.send(a.port, { payload: intruderPayload });
    intruder.send(a.port, { payload: intruderPayload });
    await sync();
    assert.equal(a.stats.foreign, 2, 'the intruder counted');
    timer.advance(LISTEN_MS);
    assert.equal(a.connected, false, 'still listening after foreign packets');
    intruder.send(a.port, { payload: intruderPayload });
    await sync();
    assert.equal(a.stats.foreign, 3);
    // Two more intervals without foreign packets and it connects again.
    for (let t = 0; !a.connected && t <= 3 * RTCP_INTERVAL_MS; t += 20) timer.advance(20);
    assert.equal(a.connected, true);
    intruder.send(a.port, { payload: intruderPayload });
    await sync();
    assert.equal(a.stats.foreign, 3);
    assert.equal(fromIntruder(), 0, 'nothing from the intruder was relayed');
    assert.equal(intruder.received.length, 0);
    pb.send(b.port);
    await until('the latched source still gets b\'s audio', () => pa.received.length === 2);
    assert.equal(a.stats.packetsReceived, 5);
  });
});
