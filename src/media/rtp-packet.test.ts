import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { emptyRtpHeader, isRtcp, parseRtp, parseRtpInto, writeRtpHeader, type RtpHeader } from './rtp-packet.ts';

const SEED = 3550;

/** A packet assembled byte by byte from the RFC 3550 §5.1 layout. */
function bytes(...parts: (number | number[])[]): Uint8Array {
  return Uint8Array.from(parts.flat());
}

// V=2, PT 0, seq 0x1234, ts 0x00000a00, SSRC 0xdeadbeef, then 4 payload bytes.
const plain = bytes(0x80, 0x00, 0x12, 0x34, [0x00, 0x00, 0x0a, 0x00], [0xde, 0xad, 0xbe, 0xef], [1, 2, 3, 4]);

describe('parseRtp (RFC 3550 §5.1)', () => {
  test('reads the fixed header of a hand-built packet', () => {
    assert.deepEqual(parseRtp(plain), {
      marker: false, payloadType: 0, sequence: 0x1234, timestamp: 0xa00, ssrc: 0xdeadbeef,
      csrcCount: 0, headerLength: 12, payloadLength: 4,
    });
  });

  test('marker bit and a 7-bit payload type share the second byte', () => {
    const p = plain.slice();
    p[1] = 0x80 | 101;
    const h = parseRtp(p)!;
    assert.equal(h.marker, true);
    assert.equal(h.payloadType, 101);
  });

  test('a 12-byte packet has an empty payload', () => {
    assert.equal(parseRtp(plain.subarray(0, 12))?.payloadLength, 0);
  });

  test('len limits the bytes considered (a receive buffer larger than the datagram)', () => {
    const buf = new Uint8Array(1500);
    buf.set(plain);
    assert.equal(parseRtp(buf, plain.length)?.payloadLength, 4);
    assert.equal(parseRtp(buf, 11), undefined);
    assert.equal(parseRtp(plain, 9999)?.payloadLength, 4, 'a len past the buffer is clamped to it');
  });

  test('rejects fewer than 12 bytes', () => {
    for (let n = 0; n < 12; n++) assert.equal(parseRtp(plain.subarray(0, n)), undefined, `length ${n}`);
  });

  test('rejects versions 0, 1 and 3', () => {
    for (const v of [0, 1, 3]) {
      const p = plain.slice();
      p[0] = (v << 6) | (p[0]! & 0x3f);
      assert.equal(parseRtp(p), undefined, `version ${v}`);
    }
  });

  test('CSRC list: header grows by 4 bytes per CSRC; rejected when it runs past the end', () => {
    const two = bytes(0x82, 0x00, 0, 1, [0, 0, 0, 0], [0, 0, 0, 9], [0, 0, 0, 1], [0, 0, 0, 2], [0xaa, 0xbb]);
    const h = parseRtp(two)!;
    assert.equal(h.csrcCount, 2);
    assert.equal(h.headerLength, 20);
    assert.equal(h.payloadLength, 2);
    assert.deepEqual([...two.subarray(h.headerLength, h.headerLength + h.payloadLength)], [0xaa, 0xbb]);
    assert.equal(parseRtp(two.subarray(0, 20))?.payloadLength, 0, 'exactly the CSRC list, no payload');
    assert.equal(parseRtp(two.subarray(0, 19)), undefined);
    const fifteen = plain.slice();
    fifteen[0] = 0x8f;
    assert.equal(parseRtp(fifteen), undefined, 'CC=15 needs 72 bytes');
  });

  test('header extension (RFC 3550 §5.3.1): profile id, length in words, then data', () => {
    // X=1, one CSRC, extension 0xBEDE with 2 words, 3 payload bytes.
    const p = bytes(0x91, 0x00, 0, 1, [0, 0, 0, 0], [0, 0, 0, 9], [0, 0, 0, 7], [0xbe, 0xde, 0x00, 0x02], [1, 2, 3, 4, 5, 6, 7, 8], [9, 9, 9]);
    const h = parseRtp(p)!;
    assert.equal(h.headerLength, 12 + 4 + 4 + 8);
    assert.equal(h.payloadLength, 3);
    assert.equal(parseRtp(p.subarray(0, 28))?.payloadLength, 0);
    assert.equal(parseRtp(p.subarray(0, 27)), undefined, 'extension data runs past the end');
    assert.equal(parseRtp(p.subarray(0, 19)), undefined, 'extension header itself cut short');
    const empty = bytes(0x90, 0x00, 0, 1, [0, 0, 0, 0], [0, 0, 0, 9], [0x10, 0x00, 0x00, 0x00]);
    assert.equal(parseRtp(empty)?.headerLength, 16, 'an extension of zero words is just its 4-byte header');
  });

  test('padding (P bit): the last byte counts padding bytes, itself included', () => {
    const p = bytes(0xa0, 0x00, 0, 1, [0, 0, 0, 0], [0, 0, 0, 9], [7, 7, 7, 7, 7], [0, 0, 3]);
    assert.equal(parseRtp(p)?.payloadLength, 5);
    const allPadding = bytes(0xa0, 0x00, 0, 1, [0, 0, 0, 0], [0, 0, 0, 9], [0, 0, 0, 4]);
    assert.equal(parseRtp(allPadding)?.payloadLength, 0, 'padding may fill the whole payload');
  });

  test('rejects a padding count of 0 or larger than the payload', () => {
    const zero = bytes(0xa0, 0x00, 0, 1, [0, 0, 0, 0], [0, 0, 0, 9], [7, 7, 0]);
    assert.equal(parseRtp(zero), undefined);
    const tooBig = bytes(0xa0, 0x00, 0, 1, [0, 0, 0, 0], [0, 0, 0, 9], [7, 7, 4]);
    assert.equal(parseRtp(tooBig), undefined);
    const noPayload = bytes(0xa0, 0x00, 0, 1, [0, 0, 0, 0], [0, 0, 0, 9]);
    assert.equal(parseRtp(noPayload), undefined, 'P set but no byte after the header to hold the count');
    const intoExtension = bytes(0xb0, 0x00, 0, 1, [0, 0, 0, 0], [0, 0, 0, 9], [0, 0, 0, 1], [0, 0, 0, 6]);
    assert.equal(parseRtp(intoExtension), undefined, 'padding may not reach into the extension');
  });
});

describe('writeRtpHeader', () => {
  test('writes version 2 and the fields in network order, returns 12', () => {
    const buf = new Uint8Array(16).fill(0xff);
    assert.equal(writeRtpHeader(buf, 2, { marker: true, payloadType: 8, sequence: 0xabcd, timestamp: 0x01020304, ssrc: 0xcafebabe }), 12);
    assert.deepEqual([...buf], [0xff, 0xff, 0x80, 0x88, 0xab, 0xcd, 1, 2, 3, 4, 0xca, 0xfe, 0xba, 0xbe, 0xff, 0xff]);
  });

  test('sequence wraps at 2^16, timestamp and SSRC at 2^32', () => {
    const buf = new Uint8Array(12);
    writeRtpHeader(buf, 0, { marker: false, payloadType: 0, sequence: 65535 + 1, timestamp: 0xffffffff + 161, ssrc: -1 });
    const h = parseRtp(buf)!;
    assert.equal(h.sequence, 0);
    assert.equal(h.timestamp, 160);
    assert.equal(h.ssrc, 0xffffffff);
    writeRtpHeader(buf, 0, { marker: false, payloadType: 0, sequence: -1, timestamp: -160, ssrc: 2 ** 32 + 5 });
    const back = parseRtp(buf)!;
    assert.equal(back.sequence, 65535);
    assert.equal(back.timestamp, 2 ** 32 - 160);
    assert.equal(back.ssrc, 5);
  });

  test('the highest values survive a round trip', () => {
    const buf = new Uint8Array(12);
    const h = { marker: true, payloadType: 127, sequence: 65535, timestamp: 0xffffffff, ssrc: 0xffffffff };
    writeRtpHeader(buf, 0, h);
    assert.deepEqual(parseRtp(buf), { ...h, csrcCount: 0, headerLength: 12, payloadLength: 0 });
  });

  test('throws when the header does not fit', () => {
    assert.throws(() => writeRtpHeader(new Uint8Array(20), 9, { marker: false, payloadType: 0, sequence: 0, timestamp: 0, ssrc: 0 }), RangeError);
  });
});

describe('isRtcp (RFC 5761 §4)', () => {
  test('packet types 192–223 in the second byte are RTCP', () => {
    const p = new Uint8Array(8);
    p[0] = 0x80;
    for (const pt of [192, 200, 201, 202, 203, 206, 223]) {
      p[1] = pt;
      assert.equal(isRtcp(p), true, String(pt));
    }
  });

  test('RTP payload types, with or without marker, are not RTCP', () => {
    const p = plain.slice();
    for (const b of [0, 8, 96, 101, 127, 0x80 | 0, 0x80 | 63, 0x80 | 96, 0x80 | 101]) {
      p[1] = b;
      assert.equal(isRtcp(p), false, String(b));
    }
  });

  test('STUN on the same port (first two bits 0) and runts are not RTCP', () => {
    assert.equal(isRtcp(Uint8Array.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42])), false);
    assert.equal(isRtcp(Uint8Array.from([0x80, 200])), false);
  });
});

describe('RTP header properties', () => {
  test('parseRtp never throws on random bytes and stays within the buffer', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), fc.option(fc.nat({ max: 130 }), { nil: undefined }), (buf, len) => {
      const h = parseRtp(buf, len);
      if (h) {
        const n = Math.min(len ?? buf.length, buf.length);
        assert.ok(h.headerLength >= 12 && h.payloadLength >= 0 && h.headerLength + h.payloadLength <= n);
      }
    }), { seed: SEED, numRuns: 5000 });
  });

  test('parse(write(h)) == h', () => {
    const header = fc.record({
      marker: fc.boolean(),
      payloadType: fc.integer({ min: 0, max: 127 }),
      sequence: fc.integer({ min: 0, max: 0xffff }),
      timestamp: fc.integer({ min: 0, max: 0xffffffff }),
      ssrc: fc.integer({ min: 0, max: 0xffffffff }),
    });
    fc.assert(fc.property(header, fc.nat({ max: 40 }), (h, payload) => {
      const buf = new Uint8Array(12 + payload);
      writeRtpHeader(buf, 0, h);
      const parsed: RtpHeader | undefined = parseRtp(buf);
      assert.deepEqual(parsed, { ...h, csrcCount: 0, headerLength: 12, payloadLength: payload });
    }), { seed: SEED, numRuns: 2000 });
  });

  test('parseRtpInto, one header object reused over a stream of random and valid packets, agrees with parseRtp on each', () => {
    const valid = fc.tuple(fc.integer({ min: 0, max: 0xff }), fc.uint8Array({ minLength: 11, maxLength: 60 })).map(([b1, rest]) => {
      const p = new Uint8Array(1 + rest.length);
      p[0] = 0x80 | (rest[0]! & 0x3f);
      p[1] = b1;
      p.set(rest.subarray(1), 2);
      return p;
    });
    const reused = emptyRtpHeader();
    fc.assert(fc.property(fc.array(fc.oneof(valid, fc.uint8Array({ maxLength: 80 })), { maxLength: 30 }), (packets) => {
      for (const p of packets) {
        const ok = parseRtpInto(p, p.length, reused);
        const fresh = parseRtp(p);
        assert.equal(ok, fresh !== undefined);
        if (fresh) assert.deepEqual({ ...reused }, fresh);
      }
    }), { seed: SEED, numRuns: 1000 });
  });
});
