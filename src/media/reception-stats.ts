// Per-source reception statistics for RTCP receiver reports, following RFC 3550 Appendix A:
// A.1 sequence number validation, A.3 expected and lost packets, A.8 interarrival jitter.
import type { ReportBlock } from './rtcp.ts';

/** What `receive` made of a packet (RFC 3550 §A.1). */
export type ReceiveStatus =
  /** A new packet, counted. */
  | 'ok'
  /** Counted as received (§A.3 counts duplicates too), but not newer than the highest sequence seen: a duplicate or a late packet within MAX_MISORDER. */
  | 'duplicate-or-old'
  /** Counted; two sequential packets after a large jump: the source restarted and the statistics start over from here. */
  | 'restarted'
  /** Not counted: the source is not validated yet (MIN_SEQUENTIAL), or this packet jumped far away and is held as a possible restart. */
  | 'probation';

const RTP_SEQ_MOD = 0x10000;
/** §A.1 constants. */
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;
const MIN_SEQUENTIAL = 2;

/**
 * Statistics for one source (SSRC). Call `receive` for every RTP packet of that source, and
 * `takeReportBlock` when sending an RTCP report.
 *
 * As in §A.1, packets are only counted once the source is validated: the first packet of a stream
 * is on probation and not counted; the second, if it follows it, validates the source and is the
 * base of the statistics.
 */
export class ReceptionStats {
  readonly clockRate: number;
  #probation = MIN_SEQUENTIAL;
  #validated = false;
  #started = false;
  #maxSeq = 0;
  #cycles = 0;
  #baseSeq = 0;
  #badSeq = RTP_SEQ_MOD + 1;
  #received = 0;
  #expectedPrior = 0;
  #receivedPrior = 0;
  #jitter = 0;
  #hasTransit = false;
  #lastArrival = 0;
  #lastTimestamp = 0;

  constructor(clockRate: number) {
    if (!(clockRate > 0)) throw new RangeError(`clock rate must be positive, got ${clockRate}`);
    this.clockRate = clockRate;
  }

  /** §A.1 init_seq. */
  #initSeq(seq: number): void {
    this.#baseSeq = seq;
    this.#maxSeq = seq;
    this.#badSeq = RTP_SEQ_MOD + 1;
    this.#cycles = 0;
    this.#received = 0;
    this.#receivedPrior = 0;
    this.#expectedPrior = 0;
  }

  /**
   * Records one RTP packet: its sequence number, RTP timestamp and arrival time in milliseconds
   * (any monotonic clock). Implements §A.1 update_seq and, for counted packets, the §A.8 jitter.
   */
  receive(sequence: number, rtpTimestamp: number, arrivalMs: number): ReceiveStatus {
    const seq = sequence & 0xffff;
    if (!this.#started) {
      // §A.1: the first packet starts probation with max_seq = seq - 1.
      this.#started = true;
      this.#initSeq(seq);
      this.#maxSeq = (seq - 1) & 0xffff;
      this.#probation = MIN_SEQUENTIAL;
    }
    const udelta = (seq - this.#maxSeq) & 0xffff;
    let status: ReceiveStatus;
    if (this.#probation > 0) {
      // §A.1: the source is valid after MIN_SEQUENTIAL packets in sequence.
      if (seq === ((this.#maxSeq + 1) & 0xffff)) {
        this.#probation--;
        this.#maxSeq = seq;
        if (this.#probation === 0) {
          this.#initSeq(seq);
          this.#validated = true;
          this.#received++;
          this.#jitterSample(rtpTimestamp, arrivalMs);
          return 'ok';
        }
      } else {
        this.#probation = MIN_SEQUENTIAL - 1;
        this.#maxSeq = seq;
      }
      return 'probation';
    } else if (udelta < MAX_DROPOUT) {
      // In order, with a permissible gap.
      if (udelta === 0) {
        status = 'duplicate-or-old';
      } else {
        if (seq < this.#maxSeq) this.#cycles += RTP_SEQ_MOD; // wrapped
        this.#maxSeq = seq;
        status = 'ok';
      }
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      // A very large jump: restart if the next packet follows this one, else ignore it.
      if (seq === this.#badSeq) {
        this.#initSeq(seq);
        this.#hasTransit = false;
        status = 'restarted';
      } else {
        this.#badSeq = (seq + 1) & (RTP_SEQ_MOD - 1);
        return 'probation';
      }
    } else {
      // Duplicate or reordered packet, at most MAX_MISORDER behind.
      status = 'duplicate-or-old';
    }
    this.#received++;
    this.#jitterSample(rtpTimestamp, arrivalMs);
    return status;
  }

  /**
   * §A.8: D = (Rj - Ri) - (Sj - Si) between this packet and the previous one in arrival order,
   * J += (|D| - J) / 16, in timestamp units. The RTP difference is taken modulo 2^32 as a signed
   * value so a timestamp wrap does not disturb the estimate.
   */
  #jitterSample(rtpTimestamp: number, arrivalMs: number): void {
    const arrival = (arrivalMs * this.clockRate) / 1000;
    const ts = rtpTimestamp >>> 0;
    if (this.#hasTransit) {
      const d = Math.abs(arrival - this.#lastArrival - ((ts - this.#lastTimestamp) | 0));
      this.#jitter += (d - this.#jitter) / 16;
    }
    this.#hasTransit = true;
    this.#lastArrival = arrival;
    this.#lastTimestamp = ts;
  }

  /** Packets counted as received since the source was validated (or restarted), duplicates included. */
  get packetsReceived(): number {
    return this.#received;
  }

  /** §A.3 expected: extended highest sequence − base + 1 (0 before validation). */
  get packetsExpected(): number {
    return this.#validated ? this.#cycles + this.#maxSeq - this.#baseSeq + 1 : 0;
  }

  /** §A.3 cumulative lost, clamped to the signed 24-bit range of the report block; negative with duplicates. */
  get cumulativeLost(): number {
    const lost = this.packetsExpected - this.#received;
    if (lost > 0x7fffff) return 0x7fffff;
    if (lost < -0x800000) return -0x800000;
    return lost;
  }

  /** §6.4.1: cycles × 65536 + highest sequence number received, modulo 2^32 (0 before validation). */
  get extendedHighestSequence(): number {
    return this.#validated ? (this.#cycles + this.#maxSeq) >>> 0 : 0;
  }

  /** Interarrival jitter in RTP timestamp units (§A.8), unrounded. */
  get jitter(): number {
    return this.#jitter;
  }

  get jitterMs(): number {
    return (this.#jitter * 1000) / this.clockRate;
  }

  /**
   * The report block for this source (§6.4.1) with the §A.3 fraction lost over the interval since
   * the previous call, which starts a new interval. `lastSrMiddle32` and `delaySinceLastSrUnits`
   * (1/65536 s) describe the last SR received from the source, 0 and 0 when none.
   */
  takeReportBlock(ssrc: number, lastSrMiddle32: number, delaySinceLastSrUnits: number): ReportBlock {
    const expected = this.packetsExpected;
    const expectedInterval = expected - this.#expectedPrior;
    this.#expectedPrior = expected;
    const receivedInterval = this.#received - this.#receivedPrior;
    this.#receivedPrior = this.#received;
    const lostInterval = expectedInterval - receivedInterval;
    // §A.3: (lost_interval << 8) / expected_interval, integer division; 0 when nothing was lost.
    const fractionLost =
      expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.min(255, Math.floor((lostInterval * 256) / expectedInterval));
    return {
      ssrc: ssrc >>> 0,
      fractionLost,
      cumulativeLost: this.cumulativeLost,
      extendedHighestSequence: this.extendedHighestSequence,
      jitter: Math.floor(this.#jitter) >>> 0,
      lastSr: lastSrMiddle32 >>> 0,
      delaySinceLastSr: delaySinceLastSrUnits >>> 0,
    };
  }
}
