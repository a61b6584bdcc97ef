import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildCompound, middle32, ntpFromMs, parseCompound, roundTripMs, type ReportBlock, type SenderInfo } from './rtcp.ts';

const SEED = 3551;

function bytes(...parts: (number | number[] | string)[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'utf8')] : p)));
}
const word = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

/**
 * A compound packet as a softphone such as baresip or linphone sends it while only receiving:
 * RR with one report block, then SDES with CNAME and TOOL items, assembled from RFC 3550 §6.4.2 and §6.5.
 */
const softphoneRr = bytes(
  // RR: V=2 P=0 RC=1, PT=201, length 7 (eight words)
  [0x81, 0xc9, 0x00, 0x07], word(0x1a2b3c4d),
  // report block about 0x11223344: fraction 5/256, cumulative 3, ext. seq 1:0x0203, jitter 16, LSR, DLSR 0.5 s
  word(0x11223344), [0x05, 0x00, 0x00, 0x03], word(0x00010203), word(16), word(0x12345678), word(0x00008000),
  // SDES: V=2 P=0 SC=1, PT=202, length 8 (nine words)
  [0x81, 0xca, 0x00, 0x08], word(0x1a2b3c4d),
  [1, 16], 'alice@192.0.2.10', [6, 7], 'baresip', [0],
);

const block: ReportBlock = {
  ssrc: 0x11223344, fractionLost: 5, cumulativeLost: 3, extendedHighestSequence: 0x00010203,
  jitter: 16, lastSr: 0x12345678, delaySinceLastSr: 0x00008000,
};

describe('parseCompound: hand-built packets', () => {
  test('a softphone RR + SDES (CNAME, TOOL) parses; unknown items are skipped', () => {
    assert.equal(softphoneRr.length, 32 + 36);
    const r = parseCompound(softphoneRr);
    assert.deepEqual(r, {
      ok: true,
      packets: [
        { type: 'rr', ssrc: 0x1a2b3c4d, reports: [block] },
        { type: 'sdes', chunks: [{ ssrc: 0x1a2b3c4d, cname: 'alice@192.0.2.10' }] },
      ],
    });
  });

  test('an SR with sender info, a negative cumulative loss, and a BYE with reason', () => {
    const sr = bytes(
      [0x81, 0xc8, 0x00, 0x0c], word(0xaabbccdd),
      word(0xe8f0a1b2), word(0x80000000), word(123456), word(500), word(80000),
      word(1), [0x00, 0xff, 0xff, 0xfe], word(7), word(0), word(0), word(0),
      [0x81, 0xca, 0x00, 0x02], word(0xaabbccdd), [1, 1, 0x78, 0],
      [0x81, 0xcb, 0x00, 0x02], word(0xaabbccdd), [3], 'bye',
    );
    const r = parseCompound(sr);
    assert.ok(r.ok);
    assert.deepEqual(r.packets[0], {
      type: 'sr', ssrc: 0xaabbccdd,
      sender: { ntpSeconds: 0xe8f0a1b2, ntpFraction: 0x80000000, rtpTimestamp: 123456, packetCount: 500, octetCount: 80000 },
      reports: [{ ssrc: 1, fractionLost: 0, cumulativeLost: -2, extendedHighestSequence: 7, jitter: 0, lastSr: 0, delaySinceLastSr: 0 }],
    });
    assert.deepEqual(r.packets[1], { type: 'sdes', chunks: [{ ssrc: 0xaabbccdd, cname: 'x' }] });
    assert.deepEqual(r.packets[2], { type: 'bye', ssrcs: [0xaabbccdd], reason: 'bye' });
  });

  test('an SDES with two chunks, one without CNAME', () => {
    const p = bytes(
      [0x80, 0xc9, 0x00, 0x01], word(9),
      [0x82, 0xca, 0x00, 0x05], word(1), [1, 2], 'ab', [0, 0, 0, 0], word(2), [0, 0, 0, 0],
    );
    const r = parseCompound(p);
    assert.ok(r.ok);
    assert.deepEqual(r.packets[1], { type: 'sdes', chunks: [{ ssrc: 1, cname: 'ab' }, { ssrc: 2 }] });
  });

  test('unknown packet types (APP, RTPFB, XR) are passed over as other', () => {
    const p = bytes([0x80, 0xc9, 0x00, 0x01], word(9), [0x81, 0xcd, 0x00, 0x02], word(9), word(10), [0x80, 0xcf, 0x00, 0x00]);
    const r = parseCompound(p);
    assert.ok(r.ok);
    assert.deepEqual(r.packets.slice(1), [{ type: 'other', packetType: 205 }, { type: 'other', packetType: 207 }]);
  });

  test('padding in the last packet is removed before its content is read', () => {
    const p = bytes([0x80, 0xc9, 0x00, 0x01], word(9), [0xa1, 0xcb, 0x00, 0x02], word(5), [0, 0, 0, 4]);
    const r = parseCompound(p);
    assert.ok(r.ok);
    assert.deepEqual(r.packets[1], { type: 'bye', ssrcs: [5] });
  });
});

describe('parseCompound: RFC 3550 §A.2 validity checks', () => {
  const rr = [0x80, 0xc9, 0x00, 0x01, ...word(9)];
  const rejects = (name: string, buf: Uint8Array) => {
    const r = parseCompound(buf);
    assert.equal(r.ok, false, name);
    if (!r.ok) assert.ok(r.error.length > 0);
  };

  test('the first packet must be SR or RR', () => {
    rejects('SDES first', bytes([0x81, 0xca, 0x00, 0x02], word(1), [1, 1, 0x78, 0]));
    rejects('BYE first', bytes([0x81, 0xcb, 0x00, 0x01], word(1)));
    rejects('APP first', bytes([0x80, 0xcc, 0x00, 0x02], word(1), 'name'));
  });

  test('every packet must be version 2', () => {
    rejects('version 1 first', bytes([0x40, 0xc9, 0x00, 0x01], word(9)));
    rejects('version 0 second', bytes(rr, [0x01, 0xcb, 0x00, 0x01], word(1)));
  });

  test('lengths must add up to the datagram exactly', () => {
    rejects('length past the end', bytes([0x80, 0xc9, 0x00, 0x02], word(9)));
    rejects('trailing word', bytes(rr, word(0)));
    rejects('trailing bytes', bytes(rr, [0, 0]));
    rejects('too short', bytes([0x80, 0xc9, 0x00, 0x00]));
  });

  test('padding only in the last packet, with a sane count', () => {
    rejects('padded first of two', bytes([0xa0, 0xc9, 0x00, 0x02], word(9), [0, 0, 0, 4], [0x81, 0xcb, 0x00, 0x01], word(1)));
    rejects('pad count 0', bytes(rr, [0xa1, 0xcb, 0x00, 0x02], word(5), [0, 0, 0, 0]));
    rejects('pad count larger than the packet', bytes(rr, [0xa1, 0xcb, 0x00, 0x02], word(5), [0, 0, 0, 13]));
    rejects('padding eats the BYE source', bytes(rr, [0xa1, 0xcb, 0x00, 0x02], word(5), [0, 0, 0, 8]));
    assert.equal(parseCompound(bytes([0xa0, 0xc9, 0x00, 0x02], word(9), [0, 0, 0, 4])).ok, true, 'a lone RR may be padded');
  });

  test('each packet must hold what its count announces', () => {
    rejects('RR with RC=1 but no block', bytes([0x81, 0xc9, 0x00, 0x01], word(9)));
    rejects('SR cut inside sender info', bytes([0x80, 0xc8, 0x00, 0x03], word(9), word(0), word(0)));
    rejects('BYE with SC=2 and one SSRC', bytes(rr, [0x82, 0xcb, 0x00, 0x01], word(1)));
    rejects('BYE reason past the end', bytes(rr, [0x81, 0xcb, 0x00, 0x02], word(1), [9, 0x61, 0x62, 0x63]));
    rejects('SDES item past the end', bytes(rr, [0x81, 0xca, 0x00, 0x02], word(1), [1, 9, 0x61, 0x62]));
    rejects('SDES with SC=2 and one chunk', bytes(rr, [0x82, 0xca, 0x00, 0x02], word(1), [1, 1, 0x78, 0]));
  });
});

describe('buildCompound', () => {
  test('RR with no reports and a 2-byte CNAME, byte for byte (§6.4.2, §6.5.1)', () => {
    const out = buildCompound({ ssrc: 0x01020304, reports: [], cname: 'ab' });
    assert.deepEqual([...out], [
      0x80, 0xc9, 0x00, 0x01, 1, 2, 3, 4,
      // SDES: CNAME item (4 bytes) needs a null octet, so the chunk takes a second word of zeros
      0x81, 0xca, 0x00, 0x03, 1, 2, 3, 4, 0x01, 0x02, 0x61, 0x62, 0, 0, 0, 0,
    ]);
  });

  test('the softphone packet is rebuilt from its parsed parts, except the TOOL item', () => {
    const out = buildCompound({ ssrc: 0x1a2b3c4d, reports: [block], cname: 'alice@192.0.2.10' });
    assert.deepEqual([...out.subarray(0, 32)], [...softphoneRr.subarray(0, 32)], 'the RR is identical');
    assert.deepEqual([...out.subarray(32, 36)], [0x81, 0xca, 0x00, 0x06], 'SDES of 7 words');
  });

  test('SR with sender info, reports, SDES and BYE round-trips', () => {
    const sender: SenderInfo = { ntpSeconds: 3908988800, ntpFraction: 0x40000000, rtpTimestamp: 0xfffffff0, packetCount: 1234, octetCount: 197440 };
    const reports = [block, { ...block, ssrc: 2, cumulativeLost: -0x800000, fractionLost: 255 }];
    const out = buildCompound({ ssrc: 77, sender, reports, cname: 'sb-7f3a@switchboard', bye: true });
    assert.equal(out.length % 4, 0);
    const r = parseCompound(out);
    assert.deepEqual(r, {
      ok: true,
      packets: [
        { type: 'sr', ssrc: 77, sender, reports },
        { type: 'sdes', chunks: [{ ssrc: 77, cname: 'sb-7f3a@switchboard' }] },
        { type: 'bye', ssrcs: [77] },
      ],
    });
  });

  test('cumulative lost outside 24 bits is clamped, fraction lost to 0–255', () => {
    const out = buildCompound({ ssrc: 1, reports: [{ ...block, cumulativeLost: 1e9, fractionLost: 300 }, { ...block, cumulativeLost: -1e9 }], cname: 'c' });
    const r = parseCompound(out);
    assert.ok(r.ok && r.packets[0]?.type === 'rr');
    if (r.ok && r.packets[0]?.type === 'rr') {
      assert.equal(r.packets[0].reports[0]?.cumulativeLost, 0x7fffff);
      assert.equal(r.packets[0].reports[0]?.fractionLost, 255);
      assert.equal(r.packets[0].reports[1]?.cumulativeLost, -0x800000);
    }
  });

  test('more than 31 report blocks continue in additional RRs before the SDES (§6.4.2)', () => {
    const reports = Array.from({ length: 40 }, (_, i) => ({ ...block, ssrc: i + 1 }));
    const r = parseCompound(buildCompound({ ssrc: 5, reports, cname: 'x' }));
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.deepEqual(r.packets.map((p) => p.type), ['rr', 'rr', 'sdes']);
    const all = r.packets.flatMap((p) => (p.type === 'rr' ? p.reports : []));
    assert.deepEqual(all.map((b) => b.ssrc), reports.map((b) => b.ssrc));
  });

  test('every CNAME length pads to a whole word with at least one null octet', () => {
    for (let n = 0; n <= 12; n++) {
      const cname = 'x'.repeat(n);
      const out = buildCompound({ ssrc: 1, reports: [], cname });
      const sdes = out.subarray(8);
      assert.equal(sdes.length, ((sdes[2]! << 8) | sdes[3]!) * 4 + 4);
      assert.equal(sdes[10 + n], 0, `END item after a ${n}-byte CNAME`);
      const r = parseCompound(out);
      assert.ok(r.ok && r.packets[1]?.type === 'sdes' && r.packets[1].chunks[0]?.cname === cname);
    }
  });

  test('a non-ASCII CNAME is UTF-8; over 255 bytes throws', () => {
    const r = parseCompound(buildCompound({ ssrc: 1, reports: [], cname: 'zoë@example' }));
    assert.ok(r.ok && r.packets[1]?.type === 'sdes' && r.packets[1].chunks[0]?.cname === 'zoë@example');
    assert.throws(() => buildCompound({ ssrc: 1, reports: [], cname: 'x'.repeat(256) }), RangeError);
  });
});

describe('NTP time (§4) and round-trip time (§6.4.1)', () => {
  test('ntpFromMs counts from 1900 with a binary fraction', () => {
    assert.deepEqual(ntpFromMs(0), { seconds: 2208988800, fraction: 0 });
    assert.deepEqual(ntpFromMs(1500), { seconds: 2208988801, fraction: 0x80000000 });
    assert.deepEqual(ntpFromMs(1_700_000_000_250), { seconds: 3908988800, fraction: 0x40000000 });
    assert.equal(ntpFromMs(999.9999999).fraction <= 0xffffffff, true);
  });

  test('NTP seconds wrap in February 2036 (era 1)', () => {
    const eraEndMs = (2 ** 32 - 2208988800) * 1000;
    assert.deepEqual(ntpFromMs(eraEndMs + 2000), { seconds: 2, fraction: 0 });
  });

  test('middle32 takes the low 16 bits of seconds and the high 16 bits of the fraction', () => {
    assert.equal(middle32(0x83aa7e80, 0x12345678), 0x7e801234);
    assert.equal(middle32(0xffffffff, 0xffffffff), 0xffffffff);
  });

  test('the RFC 3550 §6.4.1 example: A 46864.500, LSR 46853.125, DLSR 5.250 gives 6.125 s', () => {
    const report = { ...block, lastSr: 0xb7052000, delaySinceLastSr: 0x00054000 };
    assert.equal(roundTripMs(report, 0xb7108000), 6125);
  });

  test('round trip across the 16-bit seconds wrap of the middle 32 bits', () => {
    const report = { ...block, lastSr: 0xffff8000, delaySinceLastSr: 0x00008000 };
    assert.equal(roundTripMs(report, 0x00008000), 500);
  });

  test('no round trip without an SR (LSR 0) or when the values give a negative delay', () => {
    assert.equal(roundTripMs({ ...block, lastSr: 0, delaySinceLastSr: 0 }, 0xb7108000), undefined);
    assert.equal(roundTripMs({ ...block, lastSr: 0xb7100000, delaySinceLastSr: 0x00010000 }, 0xb7108000), undefined);
    assert.equal(roundTripMs({ ...block, lastSr: 0xb7200000, delaySinceLastSr: 0 }, 0xb7108000), undefined);
  });

  test('an RTT measured end to end: our SR time, the peer\'s DLSR, the arrival time', () => {
    const sentMs = 1_700_000_000_000;
    const sr = ntpFromMs(sentMs);
    const lsr = middle32(sr.seconds, sr.fraction);
    const report = { ...block, lastSr: lsr, delaySinceLastSr: Math.round(0.2 * 65536) };
    const back = ntpFromMs(sentMs + 260);
    const rtt = roundTripMs(report, middle32(back.seconds, back.fraction))!;
    assert.ok(Math.abs(rtt - 60) < 0.1, `rtt ${rtt}`);
  });
});

describe('RTCP properties', () => {
  const u32 = fc.integer({ min: 0, max: 0xffffffff });
  const reportArb = fc.record({
    ssrc: u32, fractionLost: fc.integer({ min: 0, max: 255 }), cumulativeLost: fc.integer({ min: -0x800000, max: 0x7fffff }),
    extendedHighestSequence: u32, jitter: u32, lastSr: u32, delaySinceLastSr: u32,
  });
  const senderArb = fc.record({ ntpSeconds: u32, ntpFraction: u32, rtpTimestamp: u32, packetCount: u32, octetCount: u32 });
  const compoundArb = fc.record({
    ssrc: u32,
    sender: fc.option(senderArb, { nil: undefined }),
    reports: fc.array(reportArb, { maxLength: 35 }),
    cname: fc.string({ maxLength: 60 }),
    bye: fc.boolean(),
  });

  test('build then parse gives back what was built', () => {
    fc.assert(fc.property(compoundArb, (c) => {
      const r = parseCompound(buildCompound(c));
      assert.ok(r.ok);
      if (!r.ok) return;
      const first = r.packets[0]!;
      assert.equal(first.type, c.sender ? 'sr' : 'rr');
      if (first.type === 'sr') assert.deepEqual(first.sender, { ...c.sender });
      const reports = r.packets.flatMap((p) => (p.type === 'sr' || p.type === 'rr' ? p.reports : []));
      assert.deepEqual(reports, c.reports.map((b) => ({ ...b })), 'fast-check records have a null prototype');
      const sdes = r.packets.find((p) => p.type === 'sdes');
      assert.deepEqual(sdes, { type: 'sdes', chunks: [{ ssrc: c.ssrc, cname: new TextDecoder().decode(new TextEncoder().encode(c.cname)) }] });
      assert.equal(r.packets.some((p) => p.type === 'bye'), c.bye);
    }), { seed: SEED, numRuns: 500 });
  });

  test('parseCompound never throws on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (buf) => {
      assert.equal(typeof parseCompound(buf).ok, 'boolean');
    }), { seed: SEED, numRuns: 5000 });
  });

  test('parseCompound never throws on mutated valid packets, and what it accepts is self-consistent', () => {
    const mutation = fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }), kind: fc.constantFrom('set', 'cut', 'insert') });
    fc.assert(fc.property(compoundArb, fc.array(mutation, { minLength: 1, maxLength: 4 }), (c, edits) => {
      let buf = buildCompound(c);
      for (const e of edits) {
        const at = buf.length === 0 ? 0 : e.at % buf.length;
        if (e.kind === 'set') { buf = buf.slice(); buf[at] = e.value; }
        else if (e.kind === 'cut') buf = buf.subarray(0, at);
        else buf = Uint8Array.from([...buf.subarray(0, at), e.value, ...buf.subarray(at)]);
      }
      const r = parseCompound(buf);
      if (r.ok) {
        assert.ok(r.packets.length > 0);
        assert.ok(r.packets[0]!.type === 'sr' || r.packets[0]!.type === 'rr');
        for (const p of r.packets) {
          if (p.type === 'sr' || p.type === 'rr') for (const b of p.reports) assert.ok(b.cumulativeLost >= -0x800000 && b.cumulativeLost <= 0x7fffff);
        }
      }
    }), { seed: SEED, numRuns: 3000 });
  });
});
