// RFC 4733 telephone events (DTMF over RTP): the payload format (§2.3), a receiver that reports
// each key press exactly once (§2.5.2), and a sender that produces the packet sequence (§2.5.1).

/*
 * RFC 4733 §2.3, the event payload:
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * E: end of the event. R: reserved, sent as 0 and ignored by receivers. volume: power level as
 * 0 to -63 dBm0 (0–63). duration: from the event's start (the RTP timestamp) in timestamp units.
 */

export interface TelephoneEvent {
  event: number;
  end: boolean;
  volume: number;
  duration: number;
}

/** Parses the first event of a telephone-event payload; undefined when shorter than 4 bytes. */
export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent | undefined {
  if (payload.length < 4) return undefined;
  const b1 = payload[1]!;
  return {
    event: payload[0]!,
    end: (b1 & 0x80) !== 0,
    // The R bit (0x40) is reserved and ignored (§2.3); some senders set it.
    volume: b1 & 0x3f,
    duration: (payload[2]! << 8) | payload[3]!,
  };
}

/** Writes the 4-byte payload of §2.3 (R bit 0). */
export function writeTelephoneEvent(buf: Uint8Array, offset: number, e: TelephoneEvent): void {
  buf[offset] = e.event & 0xff;
  buf[offset + 1] = (e.end ? 0x80 : 0) | (e.volume & 0x3f);
  buf[offset + 2] = (e.duration >>> 8) & 0xff;
  buf[offset + 3] = e.duration & 0xff;
}

const DIGITS = '0123456789*#ABCD';

/** DTMF event codes (§3.2): 0–9, 10 '*', 11 '#', 12–15 'A'–'D'; other events have no digit. */
export function eventDigit(event: number): string | undefined {
  return Number.isInteger(event) && event >= 0 && event < DIGITS.length ? DIGITS[event] : undefined;
}

/** The event code of a DTMF key ('a'–'d' accepted as 'A'–'D'); undefined for anything else. */
export function digitEvent(digit: string): number | undefined {
  if (digit.length !== 1) return undefined;
  const i = DIGITS.indexOf(digit.toUpperCase());
  return i < 0 ? undefined : i;
}

/**
 * What the receiver reports, at most one per packet:
 *
 * - `begin`: a new key press, on the first packet seen of the event, whichever it is (start, update
 *   or end packet), so barge-in reacts at once. Exactly one per key press. When that first packet is
 *   already an end packet (the earlier ones were lost), `end` is true and `durationMs` is final, and
 *   no separate `end` report follows.
 * - `end`: the first end packet (E bit) of a key press already reported with `begin`; `durationMs`
 *   is the final duration. At most one per key press, none if every end packet was lost.
 *
 * So: digits from `kind === 'begin'`; final durations from `end === true` (either kind).
 */
export type TelephoneEventReport =
  | { kind: 'begin'; digit: string; event: number; ssrc: number; timestamp: number; end: boolean; durationMs: number }
  | { kind: 'end'; digit: string; event: number; ssrc: number; timestamp: number; end: true; durationMs: number };

/** One key press, possibly spread over several segments (§2.5.1.3). */
interface Press {
  event: number;
  digit: string;
  /** RTP timestamp of the first segment: what identifies the press in reports. */
  timestamp: number;
  ended: boolean;
  /** Longest duration seen so far from the start of the first segment, in timestamp units. */
  units: number;
}

/** Packets sharing one RTP timestamp: one event, or one segment of a long one (§2.5.1.2, §2.5.1.3). */
interface Segment {
  timestamp: number;
  /** Offset of this segment's timestamp from the press start. */
  base: number;
  maxDuration: number;
  press: Press;
}

/** Events remembered per source: enough to recognise late packets of the last few key presses. */
const SEGMENTS_PER_SOURCE = 16;
/** Sources remembered (a new SSRC mid-call, then late packets from the old one). */
const SOURCES = 4;
/** An unknown timestamp less than this far behind the newest event is a late packet of a forgotten one. */
const STALE_WINDOW_SECONDS = 10;

/**
 * Turns received telephone-event packets into key presses (§2.5.2). An event is identified by its
 * SSRC and RTP timestamp (§2.5.1.2: every packet of an event carries the event's start time), so:
 * retransmitted start packets, updates, the repeated end packets (§2.5.1.4), reordered packets and
 * packets arriving after the end never report a key twice, and a press whose start packet (with
 * the marker bit) was lost is reported on the first packet that does arrive. Two presses of the
 * same key have different timestamps and are both reported. A new SSRC is a new source with its own
 * events. Only DTMF events (0–15) are reported; other event codes are ignored.
 *
 * A packet with an unknown timestamp that lies shortly before the newest event of its source
 * (within 10 s) belongs to an event already forgotten or to one overtaken by later presses, and is
 * ignored. A packet with a new timestamp but no marker bit, for the same event as the newest,
 * unfinished press, and starting within that press's duration (or exactly 0xFFFF later) is a
 * continuation segment of a long event (§2.5.2.3), not a new press.
 */
export class TelephoneEventReceiver {
  readonly clockRate: number;
  readonly #sources = new Map<number, Segment[]>();

  constructor(opts: { clockRate?: number } = {}) {
    this.clockRate = opts.clockRate ?? 8000;
  }

  receive(header: { marker: boolean; timestamp: number; ssrc: number }, payload: Uint8Array): TelephoneEventReport | undefined {
    const ev = parseTelephoneEvent(payload);
    if (!ev) return undefined;
    const digit = eventDigit(ev.event);
    if (digit === undefined) return undefined;
    const ssrc = header.ssrc >>> 0;
    const ts = header.timestamp >>> 0;
    const segments = this.#source(ssrc);

    const known = segments.find((s) => s.timestamp === ts);
    if (known) {
      const press = known.press;
      if (press.event !== ev.event) return undefined; // not the event this timestamp started with
      known.maxDuration = Math.max(known.maxDuration, ev.duration);
      press.units = Math.max(press.units, known.base + ev.duration);
      if (!ev.end || press.ended) return undefined;
      press.ended = true;
      return { kind: 'end', digit, event: ev.event, ssrc, timestamp: press.timestamp, end: true, durationMs: this.#ms(press.units) };
    }

    const newest = segments[segments.length - 1];
    if (newest) {
      const behind = (newest.timestamp - ts) >>> 0;
      if (behind !== 0 && behind <= STALE_WINDOW_SECONDS * this.clockRate) return undefined;
      const ahead = (ts - newest.timestamp) >>> 0;
      const prev = newest.press;
      if (
        !header.marker &&
        !prev.ended &&
        prev.event === ev.event &&
        (ahead <= newest.maxDuration || ahead === 0xffff)
      ) {
        // §2.5.2.3: a further segment of the same key press.
        const base = newest.base + ahead;
        this.#push(segments, { timestamp: ts, base, maxDuration: ev.duration, press: prev });
        prev.units = Math.max(prev.units, base + ev.duration);
        if (!ev.end) return undefined;
        prev.ended = true;
        return { kind: 'end', digit, event: ev.event, ssrc, timestamp: prev.timestamp, end: true, durationMs: this.#ms(prev.units) };
      }
    }

    const press: Press = { event: ev.event, digit, timestamp: ts, ended: ev.end, units: ev.duration };
    this.#push(segments, { timestamp: ts, base: 0, maxDuration: ev.duration, press });
    return { kind: 'begin', digit, event: ev.event, ssrc, timestamp: ts, end: ev.end, durationMs: this.#ms(ev.duration) };
  }

  #source(ssrc: number): Segment[] {
    let segments = this.#sources.get(ssrc);
    if (segments) {
      // Most recently used last, so the oldest source is evicted first.
      this.#sources.delete(ssrc);
    } else {
      segments = [];
      if (this.#sources.size >= SOURCES) {
        const oldest = this.#sources.keys().next();
        if (!oldest.done) this.#sources.delete(oldest.value);
      }
    }
    this.#sources.set(ssrc, segments);
    return segments;
  }

  #push(segments: Segment[], segment: Segment): void {
    segments.push(segment);
    if (segments.length > SEGMENTS_PER_SOURCE) segments.shift();
  }

  #ms(units: number): number {
    return (units * 1000) / this.clockRate;
  }
}

/** One packet for the caller to send: RTP marker and timestamp, and the 4-byte payload. */
export interface TelephoneEventPacket {
  marker: boolean;
  /** The event's start time (§2.5.1.2), the same for all its packets. */
  timestamp: number;
  payload: Uint8Array;
  /** The telephone-event payload type given to the constructor. */
  payloadType: number;
  /** Whether this is an end packet (E bit). */
  end: boolean;
}

/** §2.5.1.4: the end packet is sent three times in all. */
const END_PACKETS = 3;

interface Sending {
  event: number;
  /** Total duration in timestamp units. */
  units: number;
  timestamp: number;
  /** Duration reported so far. */
  elapsed: number;
  endsSent: number;
}

/**
 * Produces the RFC 4733 packets for queued key presses (§2.5.1), one packet per call of `next()`.
 *
 * Contract: call `next(rtpNow)` once per packet interval (`packetMs`, 20 ms) on the caller's clock
 * while `busy` is true, with `rtpNow` the RTP timestamp the stream is at for this interval (what
 * an audio packet sent now would carry). When it returns a packet, send it on the same SSRC with
 * the next sequence number of the stream (§2.5.1.6), the packet's marker and timestamp, and the
 * telephone-event payload type, and send no audio for that interval: the event packets replace the
 * audio while a key is being sent, so the far end does not get the tone twice. When it returns
 * undefined (the pause between two queued digits), nothing is due from the sender. `rtpNow` may be
 * omitted: the sender then counts one interval per call from the timestamp given to `start`.
 *
 * For each digit: the first packet has the marker bit (§2.5.1.2); then one update per interval,
 * all with the event's start timestamp and a duration growing by one interval; the last carries
 * the E bit with the full duration and is sent three times (§2.5.1.4). The next queued digit starts
 * no earlier than `gapMs` after the end of the previous tone, with its own start timestamp.
 * Durations are capped at 0xFFFF timestamp units (8.19 s at 8 kHz), so no §2.5.1.3 segments are needed.
 */
export class TelephoneEventSender {
  readonly payloadType: number;
  readonly clockRate: number;
  readonly packetMs: number;
  readonly volume: number;
  readonly gapMs: number;
  readonly #unitsPerPacket: number;
  readonly #gapUnits: number;
  readonly #queue: { event: number; units: number }[] = [];
  #current: Sending | undefined;
  /** The RTP time of the next interval when the caller does not pass it. */
  #clock = 0;
  /** The earliest RTP time for the next event to start (end of the last tone plus the gap). */
  #earliestStart: number | undefined;

  constructor(opts: { payloadType: number; clockRate?: number; packetMs?: number; volume?: number; gapMs?: number }) {
    this.payloadType = opts.payloadType;
    this.clockRate = opts.clockRate ?? 8000;
    this.packetMs = opts.packetMs ?? 20;
    this.volume = Math.min(63, Math.max(0, Math.round(opts.volume ?? 10)));
    this.gapMs = opts.gapMs ?? 60;
    if (!(this.clockRate > 0) || !(this.packetMs > 0)) throw new RangeError('clock rate and packet time must be positive');
    this.#unitsPerPacket = Math.max(1, Math.round((this.clockRate * this.packetMs) / 1000));
    this.#gapUnits = Math.max(0, Math.round((this.clockRate * this.gapMs) / 1000));
  }

  /** Whether a digit is being sent or waiting: keep calling `next()` each interval meanwhile. */
  get busy(): boolean {
    return this.#current !== undefined || this.#queue.length > 0;
  }

  /**
   * Queues a key press of `durationMs` (at least one packet interval, at most 0xFFFF timestamp
   * units). `rtpTimestamp`, the stream's RTP time now, only matters when `next()` is called without
   * `rtpNow` and the sender is idle. Returns false, queuing nothing, for a character that is not a
   * DTMF key.
   */
  start(digit: string, durationMs: number, rtpTimestamp?: number): boolean {
    const event = digitEvent(digit);
    if (event === undefined) return false;
    if (!this.busy && rtpTimestamp !== undefined) this.#clock = rtpTimestamp >>> 0;
    const requested = Number.isFinite(durationMs) ? Math.round((durationMs * this.clockRate) / 1000) : 0;
    const units = Math.min(0xffff, Math.max(this.#unitsPerPacket, requested));
    this.#queue.push({ event, units });
    return true;
  }

  /** The packet for this interval, or undefined; see the class comment for the contract. */
  next(rtpNow?: number): TelephoneEventPacket | undefined {
    const now = rtpNow !== undefined ? rtpNow >>> 0 : this.#clock;
    this.#clock = (now + this.#unitsPerPacket) >>> 0;
    let cur = this.#current;
    if (!cur) {
      const queued = this.#queue[0];
      if (!queued) return undefined;
      if (this.#earliestStart !== undefined) {
        const wait = (this.#earliestStart - now) | 0;
        if (wait > 0 && wait <= this.#gapUnits) return undefined; // inter-digit pause
      }
      this.#queue.shift();
      cur = { event: queued.event, units: queued.units, timestamp: now, elapsed: 0, endsSent: 0 };
      this.#current = cur;
    }
    if (cur.elapsed < cur.units) {
      // §2.5.1.2: start (marker) and update packets, the duration counting from the event start.
      const marker = cur.elapsed === 0;
      cur.elapsed = Math.min(cur.units, cur.elapsed + this.#unitsPerPacket);
      const end = cur.elapsed >= cur.units;
      if (end) this.#ended(cur);
      return this.#packet(cur, marker, end);
    }
    // §2.5.1.4: retransmissions of the final packet.
    this.#ended(cur);
    return this.#packet(cur, false, true);
  }

  #ended(cur: Sending): void {
    cur.endsSent++;
    if (cur.endsSent >= END_PACKETS) {
      this.#current = undefined;
      this.#earliestStart = (cur.timestamp + cur.units + this.#gapUnits) >>> 0;
    }
  }

  #packet(cur: Sending, marker: boolean, end: boolean): TelephoneEventPacket {
    const payload = new Uint8Array(4);
    writeTelephoneEvent(payload, 0, { event: cur.event, end, volume: this.volume, duration: cur.elapsed });
    return { marker, timestamp: cur.timestamp, payload, payloadType: this.payloadType, end };
  }
}
