import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  TelephoneEventReceiver, TelephoneEventSender, digitEvent, eventDigit, parseTelephoneEvent,
  type TelephoneEventPacket, type TelephoneEventReport,
} from './telephone-event.ts';

const SEED = 4733;
const SSRC = 0x5eed;

/** Runs the sender tick by tick (20 ms, 160 units) from `rtpStart` until it is idle. */
function drain(sender: TelephoneEventSender, rtpStart = 1000): TelephoneEventPacket[] {
  const out: TelephoneEventPacket[] = [];
  let rtp = rtpStart;
  for (let guard = 0; sender.busy && guard < 100_000; guard++, rtp = (rtp + 160) >>> 0) {
    const p = sender.next(rtp);
    if (p) out.push(p);
  }
  assert.equal(sender.busy, false);
  return out;
}

function send(digits: string, durationMs = 100, rtpStart = 1000): TelephoneEventPacket[] {
  const s = new TelephoneEventSender({ payloadType: 101 });
  for (const d of digits) assert.equal(s.start(d, durationMs, rtpStart), true);
  return drain(s, rtpStart);
}

function deliver(rx: TelephoneEventReceiver, packets: { marker: boolean; timestamp: number; payload: Uint8Array }[], ssrc = SSRC): TelephoneEventReport[] {
  const out: TelephoneEventReport[] = [];
  for (const p of packets) {
    const r = rx.receive({ marker: p.marker, timestamp: p.timestamp, ssrc }, p.payload);
    if (r) out.push(r);
  }
  return out;
}

const digitsOf = (reports: TelephoneEventReport[]) => reports.filter((r) => r.kind === 'begin').map((r) => r.digit).join('');

/** A payload from its fields; `byte1` lets a test set the R bit as some senders do. */
function payload(event: number, byte1: number, duration: number): Uint8Array {
  return Uint8Array.from([event, byte1, duration >> 8, duration & 0xff]);
}

describe('payload format (RFC 4733 §2.3) and event codes (§3.2)', () => {
  test('parses event, E bit, volume and duration', () => {
    assert.deepEqual(parseTelephoneEvent(payload(11, 0x8a, 0x0320)), { event: 11, end: true, volume: 10, duration: 800 });
    assert.deepEqual(parseTelephoneEvent(payload(1, 0x3f, 0xffff)), { event: 1, end: false, volume: 63, duration: 65535 });
  });

  test('the reserved R bit is ignored (sipp sends 0x4a / 0xca)', () => {
    assert.deepEqual(parseTelephoneEvent(payload(5, 0x4a, 160)), { event: 5, end: false, volume: 10, duration: 160 });
    assert.deepEqual(parseTelephoneEvent(payload(5, 0xca, 800)), { event: 5, end: true, volume: 10, duration: 800 });
  });

  test('shorter than 4 bytes is undefined; extra bytes are ignored', () => {
    assert.equal(parseTelephoneEvent(new Uint8Array(3)), undefined);
    assert.equal(parseTelephoneEvent(new Uint8Array(0)), undefined);
    assert.equal(parseTelephoneEvent(Uint8Array.from([3, 0x0a, 0, 160, 9, 9, 9, 9]))?.event, 3);
  });

  test('event codes 0–15 map to 0–9 * # A–D and back', () => {
    assert.equal([...Array(16).keys()].map((e) => eventDigit(e)).join(''), '0123456789*#ABCD');
    for (const e of [16, 32, 255, -1, 1.5]) assert.equal(eventDigit(e), undefined);
    assert.deepEqual([...'0123456789*#ABCD'].map(digitEvent), [...Array(16).keys()]);
    assert.equal(digitEvent('d'), 15);
    for (const d of ['', 'E', '12', ' ', '+']) assert.equal(digitEvent(d), undefined);
  });
});

describe('TelephoneEventSender (RFC 4733 §2.5.1)', () => {
  test('one 100 ms digit: marker on the first packet, growing durations, one timestamp, end packet three times', () => {
    const packets = send('7');
    const decoded = packets.map((p) => ({ marker: p.marker, timestamp: p.timestamp, ...parseTelephoneEvent(p.payload)! }));
    const pkt = (marker: boolean, end: boolean, duration: number) => ({ marker, timestamp: 1000, event: 7, end, volume: 10, duration });
    assert.deepEqual(decoded, [
      pkt(true, false, 160), pkt(false, false, 320), pkt(false, false, 480), pkt(false, false, 640),
      pkt(false, true, 800), pkt(false, true, 800), pkt(false, true, 800),
    ]);
    assert.ok(packets.every((p) => p.payloadType === 101 && (p.payload[1]! & 0x40) === 0), 'PT given, R bit 0');
    assert.deepEqual(packets.map((p) => p.end), [false, false, false, false, true, true, true]);
  });

  test('busy from start() until the last end packet has been produced', () => {
    const s = new TelephoneEventSender({ payloadType: 96 });
    assert.equal(s.busy, false);
    assert.equal(s.next(0), undefined, 'nothing queued');
    s.start('1', 40, 0);
    const seen: boolean[] = [];
    for (let i = 0; i < 6; i++) {
      seen.push(s.next(i * 160) !== undefined);
      if (i === 3) assert.equal(s.busy, false);
    }
    assert.deepEqual(seen, [true, true, true, true, false, false], '2 packets of tone + 2 repeats of the end');
  });

  test('a duration that is not a whole number of packets ends on the exact duration', () => {
    const durations = send('1', 50).map((p) => parseTelephoneEvent(p.payload)!.duration);
    assert.deepEqual(durations, [160, 320, 400, 400, 400]);
  });

  test('queued digits: each gets its own start timestamp, the stream time it starts at, after a 60 ms pause', () => {
    const packets = send('12', 100, 5000);
    const starts = packets.filter((p) => p.marker);
    assert.equal(starts.length, 2);
    assert.equal(starts[0]!.timestamp, 5000);
    // The first tone covers 5000–5800; the pause (480 units) ends at 6280, a tick boundary here.
    assert.equal(starts[1]!.timestamp, 6280);
    assert.ok(packets.filter((p) => p.timestamp === 6280).every((p) => parseTelephoneEvent(p.payload)!.event === 2));
  });

  test('the RTP time passed to next() is authoritative, e.g. after the stream jumped', () => {
    const s = new TelephoneEventSender({ payloadType: 101 });
    s.start('4', 40, 0);
    s.start('5', 40);
    const times = [0, 160, 320, 480, 90000, 90160, 90320];
    const packets = times.map((t) => s.next(t));
    assert.equal(packets[4]?.marker, true);
    assert.equal(packets[4]?.timestamp, 90000);
    assert.equal(packets[6]?.timestamp, 90000);
  });

  test('without rtpNow, one interval per call is counted from the timestamp given to start()', () => {
    const s = new TelephoneEventSender({ payloadType: 101, gapMs: 40 });
    s.start('9', 40, 0xffffff00);
    s.start('0', 40);
    const packets: TelephoneEventPacket[] = [];
    while (s.busy) { const p = s.next(); if (p) packets.push(p); }
    assert.deepEqual([...new Set(packets.map((p) => p.timestamp))], [0xffffff00, (0xffffff00 + 640) >>> 0], 'wraps modulo 2^32');
  });

  test('rejects non-DTMF characters; clamps durations to one packet and 0xFFFF units', () => {
    const s = new TelephoneEventSender({ payloadType: 101 });
    assert.equal(s.start('x', 100, 0), false);
    assert.equal(s.busy, false);
    assert.deepEqual(send('1', 0).map((p) => parseTelephoneEvent(p.payload)!.duration), [160, 160, 160]);
    const long = send('1', 60_000).map((p) => parseTelephoneEvent(p.payload)!.duration);
    assert.equal(long.at(-1), 0xffff);
    assert.ok(long.every((d, i) => i === 0 || d >= long[i - 1]!));
  });

  test('clock rate, packet time and volume options', () => {
    const s = new TelephoneEventSender({ payloadType: 101, clockRate: 16000, packetMs: 30, volume: 20 });
    s.start('#', 90, 0);
    const decoded = drain(s, 0).map((p) => parseTelephoneEvent(p.payload)!);
    assert.deepEqual(decoded.map((e) => e.duration), [480, 960, 1440, 1440, 1440]);
    assert.ok(decoded.every((e) => e.volume === 20 && e.event === 11));
  });
});

describe('TelephoneEventReceiver (RFC 4733 §2.5.2)', () => {
  test('sender → receiver: every key once, in order, with its end and duration', () => {
    const rx = new TelephoneEventReceiver();
    const reports = deliver(rx, send('1234567890*#ABCD'));
    assert.equal(digitsOf(reports), '1234567890*#ABCD');
    const ends = reports.filter((r) => r.end);
    assert.equal(ends.length, 16);
    assert.ok(ends.every((r) => r.kind === 'end' && r.durationMs === 100));
    assert.equal(reports.length, 32);
  });

  test('the same key pressed four times is four key presses', () => {
    const reports = deliver(new TelephoneEventReceiver(), send('1111'));
    assert.equal(digitsOf(reports), '1111');
    assert.equal(new Set(reports.map((r) => r.timestamp)).size, 4);
  });

  test('the digit is reported on the first packet, before the key is released', () => {
    const rx = new TelephoneEventReceiver();
    const [first, ...rest] = send('5');
    const r = rx.receive({ marker: first!.marker, timestamp: first!.timestamp, ssrc: SSRC }, first!.payload);
    assert.deepEqual(r, { kind: 'begin', digit: '5', event: 5, ssrc: SSRC, timestamp: 1000, end: false, durationMs: 20 });
    const more = deliver(rx, rest);
    assert.deepEqual(more, [{ kind: 'end', digit: '5', event: 5, ssrc: SSRC, timestamp: 1000, end: true, durationMs: 100 }]);
  });

  test('a sipp play_dtmf style recording (R bit set, end packet three times) gives one digit per event', () => {
    const rx = new TelephoneEventReceiver();
    const recorded: { marker: boolean; timestamp: number; payload: Uint8Array }[] = [];
    for (const [i, event] of [1, 2, 2].entries()) {
      const ts = 8000 + i * 2000;
      recorded.push({ marker: true, timestamp: ts, payload: payload(event, 0x4a, 160) });
      for (let d = 320; d <= 640; d += 160) recorded.push({ marker: false, timestamp: ts, payload: payload(event, 0x4a, d) });
      for (let k = 0; k < 3; k++) recorded.push({ marker: false, timestamp: ts, payload: payload(event, 0xca, 800) });
    }
    const reports = deliver(rx, recorded);
    assert.equal(digitsOf(reports), '122');
    assert.equal(reports.filter((r) => r.kind === 'end').length, 3);
  });

  test('retransmitted start packets and packets after the end add nothing', () => {
    const rx = new TelephoneEventReceiver();
    const ts = 4000;
    const reports = deliver(rx, [
      { marker: true, timestamp: ts, payload: payload(3, 0x0a, 160) },
      { marker: true, timestamp: ts, payload: payload(3, 0x0a, 160) },
      { marker: true, timestamp: ts, payload: payload(3, 0x0a, 160) },
      { marker: false, timestamp: ts, payload: payload(3, 0x0a, 320) },
      { marker: false, timestamp: ts, payload: payload(3, 0x8a, 480) },
      { marker: false, timestamp: ts, payload: payload(3, 0x8a, 480) },
      { marker: false, timestamp: ts, payload: payload(3, 0x0a, 320) },
      { marker: true, timestamp: ts, payload: payload(3, 0x0a, 160) },
      { marker: false, timestamp: ts, payload: payload(3, 0x8a, 480) },
    ]);
    assert.deepEqual(reports.map((r) => [r.kind, r.digit]), [['begin', '3'], ['end', '3']]);
  });

  test('reordering within an event: the first packet to arrive reports the key; the final duration is the largest', () => {
    const rx = new TelephoneEventReceiver();
    const [p0, p1, p2, p3, e0, e1, e2] = send('8');
    const reports = deliver(rx, [p2!, p0!, e0!, p3!, p1!, e1!, e2!]);
    assert.deepEqual(reports.map((r) => [r.kind, r.digit, r.durationMs]), [['begin', '8', 60], ['end', '8', 100]]);
  });

  test('first packet (with the marker bit) lost: the key is reported on the next packet', () => {
    const rx = new TelephoneEventReceiver();
    const packets = send('6').slice(1);
    const reports = deliver(rx, packets);
    assert.equal(digitsOf(reports), '6');
    assert.equal(reports[0]!.durationMs, 40);
  });

  test('only end packets arrive: one begin report that already carries the end and duration', () => {
    const rx = new TelephoneEventReceiver();
    const reports = deliver(rx, send('9').filter((p) => p.end));
    assert.deepEqual(reports, [{ kind: 'begin', digit: '9', event: 9, ssrc: SSRC, timestamp: 1000, end: true, durationMs: 100 }]);
  });

  test('a repeated key whose end packets and start packet were all lost is still two presses', () => {
    const rx = new TelephoneEventReceiver();
    const packets = send('11');
    const kept = packets.filter((p, i) => !p.end && !(p.marker && i > 0));
    assert.equal(digitsOf(deliver(rx, kept)), '11');
  });

  test('a new SSRC mid-call (a pcap replayed again) is a new source, even with the same timestamps', () => {
    const rx = new TelephoneEventReceiver();
    const packets = send('42');
    assert.equal(digitsOf(deliver(rx, packets, 1)), '42');
    assert.equal(digitsOf(deliver(rx, packets, 2)), '42');
    assert.equal(deliver(rx, packets.slice(-3), 1).length, 0, 'late end packets of the old source are old news');
  });

  test('a late packet of an event already forgotten is ignored, not taken for a new key', () => {
    const rx = new TelephoneEventReceiver();
    const packets = send('1234567890*#ABCD1234', 40);
    deliver(rx, packets);
    const stale = packets[0]!;
    assert.equal(rx.receive({ marker: true, timestamp: stale.timestamp, ssrc: SSRC }, stale.payload), undefined);
  });

  test('a timestamp far back (over 10 s, a new timeline without a new SSRC) starts new events', () => {
    const rx = new TelephoneEventReceiver();
    assert.equal(digitsOf(deliver(rx, send('3', 100, 500_000))), '3');
    assert.equal(digitsOf(deliver(rx, send('3', 100, 1000))), '3');
  });

  test('long events: a further segment (§2.5.2.3) continues the key press and adds up the duration', () => {
    const rx = new TelephoneEventReceiver();
    const t = 1000;
    const reports = deliver(rx, [
      { marker: true, timestamp: t, payload: payload(0, 0x0a, 160) },
      { marker: false, timestamp: t, payload: payload(0, 0x0a, 0xffff) },
      { marker: false, timestamp: t + 0xffff, payload: payload(0, 0x0a, 800) },
      { marker: false, timestamp: t + 0xffff, payload: payload(0, 0x8a, 1600) },
      { marker: false, timestamp: t + 0xffff, payload: payload(0, 0x8a, 1600) },
    ]);
    assert.deepEqual(reports.map((r) => [r.kind, r.digit, r.timestamp, r.durationMs]), [
      ['begin', '0', t, 20],
      ['end', '0', t, ((0xffff + 1600) * 1000) / 8000],
    ]);
  });

  test('events that are not DTMF keys, and short payloads, are ignored', () => {
    const rx = new TelephoneEventReceiver();
    assert.equal(rx.receive({ marker: true, timestamp: 1, ssrc: 1 }, payload(16, 0x0a, 160)), undefined);
    assert.equal(rx.receive({ marker: true, timestamp: 2, ssrc: 1 }, payload(32, 0x0a, 160)), undefined);
    assert.equal(rx.receive({ marker: true, timestamp: 3, ssrc: 1 }, Uint8Array.from([1, 0x0a])), undefined);
    assert.equal(rx.receive({ marker: true, timestamp: 4, ssrc: 1 }, payload(1, 0x0a, 160))?.kind, 'begin');
  });

  test('durations follow the clock rate given to the receiver', () => {
    const rx = new TelephoneEventReceiver({ clockRate: 48000 });
    const r = rx.receive({ marker: true, timestamp: 0, ssrc: 1 }, payload(2, 0x8a, 4800));
    assert.equal(r?.durationMs, 100);
  });
});

describe('telephone-event properties', () => {
  const digitsArb = fc.array(fc.constantFrom(...'0123456789*#ABCD'), { minLength: 1, maxLength: 12 }).map((a) => a.join(''));

  test('30% loss, never every packet of a key press: each key exactly once, in order', () => {
    fc.assert(fc.property(digitsArb, fc.integer({ min: 40, max: 200 }), fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })), (digits, ms, coins) => {
      const packets = send(digits, ms);
      const byEvent = new Map<number, TelephoneEventPacket[]>();
      for (const p of packets) byEvent.set(p.timestamp, [...(byEvent.get(p.timestamp) ?? []), p]);
      const kept: TelephoneEventPacket[] = [];
      for (const group of byEvent.values()) {
        const survivors = group.filter(() => coins.next().value >= 0.3);
        kept.push(...(survivors.length > 0 ? survivors : [group[group.length - 1]!]));
      }
      const reports = deliver(new TelephoneEventReceiver(), kept);
      assert.equal(digitsOf(reports), digits);
      assert.ok(reports.filter((r) => r.end).length <= digits.length);
      const ends = new Set<number>();
      for (const r of reports.filter((x) => x.end)) {
        assert.ok(!ends.has(r.timestamp), 'at most one end per key press');
        ends.add(r.timestamp);
      }
    }), { seed: SEED, numRuns: 400 });
  });

  test('loss plus reordering inside each key press still gives each key exactly once', () => {
    fc.assert(fc.property(digitsArb, fc.infiniteStream(fc.nat()), (digits, rnd) => {
      const packets = send(digits, 120);
      const groups = new Map<number, TelephoneEventPacket[]>();
      for (const p of packets) groups.set(p.timestamp, [...(groups.get(p.timestamp) ?? []), p]);
      const kept: TelephoneEventPacket[] = [];
      for (const group of groups.values()) {
        const g = group.filter(() => rnd.next().value % 10 >= 3);
        const shuffled = g.length > 0 ? g : [group[0]!];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = rnd.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        kept.push(...shuffled);
      }
      assert.equal(digitsOf(deliver(new TelephoneEventReceiver(), kept)), digits);
    }), { seed: SEED, numRuns: 400 });
  });

  test('the receiver never throws on arbitrary packets and reports a key at most once per timestamp', () => {
    const packetArb = fc.record({ marker: fc.boolean(), timestamp: fc.integer({ min: 0, max: 2000 }), ssrc: fc.integer({ min: 1, max: 3 }), payload: fc.uint8Array({ maxLength: 6 }) });
    fc.assert(fc.property(fc.array(packetArb, { maxLength: 60 }), (packets) => {
      const rx = new TelephoneEventReceiver();
      const begun = new Set<string>();
      for (const p of packets) {
        const r = rx.receive(p, p.payload);
        if (r?.kind === 'begin') {
          const key = `${r.ssrc}/${r.timestamp}`;
          assert.ok(!begun.has(key));
          begun.add(key);
        }
      }
    }), { seed: SEED, numRuns: 2000 });
  });
});
