import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceptionStats, type ReceiveStatus } from './reception-stats.ts';

/** Feeds sequence numbers at 20 ms / 160 timestamp units apart, returning the statuses. */
function feed(stats: ReceptionStats, seqs: number[], startMs = 0): ReceiveStatus[] {
  return seqs.map((s, i) => stats.receive(s, (s * 160) >>> 0, startMs + i * 20));
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let s = from; s <= to; s++) out.push(s);
  return out;
}

describe('RFC 3550 §A.1 sequence validation and §A.3 counts', () => {
  test('in-order stream: the first packet is on probation (MIN_SEQUENTIAL 2), then every packet counts', () => {
    const st = new ReceptionStats(8000);
    const statuses = feed(st, range(1000, 1099));
    assert.equal(statuses[0], 'probation');
    assert.ok(statuses.slice(1).every((s) => s === 'ok'));
    assert.equal(st.packetsReceived, 99, 'base_seq is the packet that ended probation');
    assert.equal(st.packetsExpected, 99);
    assert.equal(st.cumulativeLost, 0);
    assert.equal(st.extendedHighestSequence, 1099);
  });

  test('before validation nothing is counted', () => {
    const st = new ReceptionStats(8000);
    assert.equal(st.receive(500, 0, 0), 'probation');
    assert.equal(st.receive(900, 0, 20), 'probation', 'not in sequence: probation starts over');
    assert.equal(st.packetsReceived, 0);
    assert.equal(st.extendedHighestSequence, 0);
    assert.equal(st.receive(901, 160, 40), 'ok');
    assert.equal(st.packetsReceived, 1);
    assert.equal(st.extendedHighestSequence, 901);
  });

  test('loss of N packets: expected − received (§A.3)', () => {
    const st = new ReceptionStats(8000);
    const seqs = range(1, 200).filter((s) => s < 50 || s > 56); // 7 lost
    feed(st, seqs);
    assert.equal(st.extendedHighestSequence, 200);
    assert.equal(st.packetsExpected, 199);
    assert.equal(st.cumulativeLost, 7);
  });

  test('reordering within MAX_MISORDER is counted, not lost, and does not move the highest sequence', () => {
    const st = new ReceptionStats(8000);
    const statuses = feed(st, [1, 2, 3, 5, 4, 6]);
    assert.deepEqual(statuses, ['probation', 'ok', 'ok', 'ok', 'duplicate-or-old', 'ok']);
    assert.equal(st.cumulativeLost, 0);
    assert.equal(st.extendedHighestSequence, 6);
  });

  test('MAX_MISORDER 100 and MAX_DROPOUT 3000 bound what counts as late or as a gap', () => {
    const st = new ReceptionStats(8000);
    feed(st, range(1, 200));
    assert.equal(st.receive(200 - 99, 0, 5000), 'duplicate-or-old', '99 behind: reordered');
    assert.equal(st.receive(200 - 100, 0, 5020), 'probation', '100 behind: treated as a jump');
    assert.equal(st.receive(200 + 2999, 0, 5040), 'ok', 'a gap of 2998 lost packets is still in sequence');
    assert.equal(st.cumulativeLost, 2998 - 1, 'the late packet offsets one loss');
    assert.equal(st.receive(3199 + 3000, 0, 5060), 'probation', '3000 ahead: a jump');
  });

  test('duplicates are counted as received, so cumulative loss can go negative (§A.3)', () => {
    const st = new ReceptionStats(8000);
    const statuses = feed(st, [1, 2, 3, 4, 4, 3, 5]);
    assert.deepEqual(statuses, ['probation', 'ok', 'ok', 'ok', 'duplicate-or-old', 'duplicate-or-old', 'ok']);
    assert.equal(st.packetsReceived, 6);
    assert.equal(st.packetsExpected, 4);
    assert.equal(st.cumulativeLost, -2);
  });

  test('wrap at 65535: cycles count in the extended highest sequence', () => {
    const st = new ReceptionStats(8000);
    const statuses = feed(st, [65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3, 4, 5]);
    assert.ok(statuses.slice(1).every((s) => s === 'ok'));
    assert.equal(st.extendedHighestSequence, 65536 + 5);
    assert.equal(st.cumulativeLost, 0);
    assert.equal(st.receive(65535, 0, 400), 'duplicate-or-old', 'a late packet from before the wrap');
    assert.equal(st.extendedHighestSequence, 65536 + 5);
  });

  test('a loss across the wrap is counted once', () => {
    const st = new ReceptionStats(8000);
    feed(st, [65533, 65534, 1, 2]);
    assert.equal(st.extendedHighestSequence, 65536 + 2);
    assert.equal(st.cumulativeLost, 2, '65535 and 0 lost');
  });

  test('a big jump followed by a sequential packet restarts the statistics (bad_seq, §A.1)', () => {
    const st = new ReceptionStats(8000);
    feed(st, range(100, 150));
    assert.equal(st.receive(40000, 0, 2000), 'probation');
    assert.equal(st.receive(40001, 160, 2020), 'restarted');
    assert.equal(st.packetsReceived, 1);
    assert.equal(st.extendedHighestSequence, 40001);
    assert.equal(st.cumulativeLost, 0);
    assert.equal(st.receive(40002, 320, 2040), 'ok');
    assert.equal(st.packetsReceived, 2);
  });

  test('a single stray packet far away is ignored and the stream goes on', () => {
    const st = new ReceptionStats(8000);
    feed(st, range(100, 150));
    assert.equal(st.receive(30000, 0, 2000), 'probation');
    assert.equal(st.receive(151, 151 * 160, 2020), 'ok');
    assert.equal(st.extendedHighestSequence, 151);
    assert.equal(st.packetsReceived, 51);
    assert.equal(st.cumulativeLost, 0);
  });

  test('cumulative lost is clamped to the signed 24-bit maximum 0x7fffff', () => {
    const st = new ReceptionStats(8000);
    feed(st, [0, 1]);
    let seq = 1;
    for (let i = 0; i < 3000; i++) {
      seq = (seq + 2999) & 0xffff;
      assert.equal(st.receive(seq, 0, 40 + i * 20), 'ok');
    }
    assert.equal(st.packetsExpected - st.packetsReceived, 3000 * 2998);
    assert.equal(st.cumulativeLost, 0x7fffff);
    assert.equal(st.takeReportBlock(1, 0, 0).cumulativeLost, 0x7fffff);
  });
});

describe('RFC 3550 §A.8 interarrival jitter', () => {
  test('constant transit time (fixed network delay) gives zero jitter', () => {
    const st = new ReceptionStats(8000);
    for (let k = 0; k < 200; k++) st.receive(k, k * 160, 50 + k * 20);
    assert.equal(st.jitter, 0);
    assert.equal(st.jitterMs, 0);
  });

  test('alternating 0/10 ms delay: J = 80·(1 − (15/16)^n) timestamp units, converging to 80 (10 ms)', () => {
    const st = new ReceptionStats(8000);
    const at = (k: number) => st.receive(k, k * 160, k * 20 + (k % 2 === 1 ? 10 : 0));
    at(0); // probation, not counted
    at(1); // validates: first transit, no difference yet
    assert.equal(st.jitter, 0);
    at(2); // |D| = 10 ms = 80 units: J = 80/16
    assert.equal(st.jitter, 5);
    at(3); // J = 5 + (80 − 5)/16
    assert.equal(st.jitter, 9.6875);
    at(4); // J = 9.6875 + (80 − 9.6875)/16
    assert.equal(st.jitter, 14.08203125);
    for (let k = 5; k < 600; k++) at(k);
    assert.ok(Math.abs(st.jitter - 80) < 1e-9);
    assert.ok(Math.abs(st.jitterMs - 10) < 1e-9);
    assert.equal(st.takeReportBlock(7, 0, 0).jitter, 79, 'the report carries the truncated integer');
  });

  test('a timestamp wrap at 2^32 does not disturb the jitter', () => {
    const st = new ReceptionStats(8000);
    const base = 0xffffff00;
    for (let k = 0; k < 20; k++) st.receive(k, (base + k * 160) >>> 0, k * 20);
    assert.equal(st.jitter, 0);
  });

  test('a restart with a new timestamp base does not count as a transit jump', () => {
    const st = new ReceptionStats(8000);
    for (let k = 0; k < 20; k++) st.receive(k, k * 160, k * 20);
    st.receive(20000, 99999, 400);
    assert.equal(st.receive(20001, 99999 + 160, 420), 'restarted');
    assert.equal(st.receive(20002, 99999 + 320, 440), 'ok');
    assert.equal(st.jitter, 0);
  });

  test('jitter is kept in the clock rate of the stream (16 kHz)', () => {
    const st = new ReceptionStats(16000);
    for (let k = 0; k < 3; k++) st.receive(k, k * 320, k * 20 + (k === 2 ? 5 : 0));
    assert.equal(st.jitter, 80 / 16, '5 ms at 16 kHz is 80 units');
    assert.equal(st.jitterMs, 0.3125);
  });
});

describe('report blocks (RFC 3550 §6.4.1, §A.3 fraction lost)', () => {
  test('fraction lost = 256 × lost / expected over each interval, truncated; intervals reset', () => {
    const st = new ReceptionStats(8000);
    feed(st, [1, ...range(2, 101).filter((s) => s !== 10 && s !== 20 && s !== 30)]);
    const first = st.takeReportBlock(0x1234, 0xaabbccdd, 0x00018000);
    assert.deepEqual(first, {
      ssrc: 0x1234, fractionLost: 7 /* 768/100 = 7.68 */, cumulativeLost: 3, extendedHighestSequence: 101,
      jitter: 0, lastSr: 0xaabbccdd, delaySinceLastSr: 0x00018000,
    });
    feed(st, range(102, 201).filter((s) => s !== 150), 4000);
    const second = st.takeReportBlock(0x1234, 0, 0);
    assert.equal(second.fractionLost, 2, '256/100 = 2.56');
    assert.equal(second.cumulativeLost, 4);
    assert.equal(st.takeReportBlock(0x1234, 0, 0).fractionLost, 0, 'nothing expected in the interval');
  });

  test('an interval with more duplicates than losses reports 0, not a negative fraction', () => {
    const st = new ReceptionStats(8000);
    feed(st, range(1, 10));
    st.takeReportBlock(1, 0, 0);
    feed(st, [11, 13, 13, 13, 14], 1000);
    const block = st.takeReportBlock(1, 0, 0);
    assert.equal(block.fractionLost, 0);
    assert.equal(block.cumulativeLost, -1);
  });

  test('half the packets lost in an interval is 128', () => {
    const st = new ReceptionStats(8000);
    feed(st, range(1, 11));
    st.takeReportBlock(1, 0, 0);
    feed(st, [13, 15, 17, 19, 21], 1000);
    assert.equal(st.takeReportBlock(1, 0, 0).fractionLost, 128);
  });

  test('extended highest sequence in the report keeps the cycles', () => {
    const st = new ReceptionStats(8000);
    feed(st, [65534, 65535, 0, 1]);
    assert.equal(st.takeReportBlock(1, 0, 0).extendedHighestSequence, 0x10001);
  });
});
