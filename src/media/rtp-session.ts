// One RTP session (RFC 3550) on a port pair: receives, checks and demultiplexes packets, latches
// onto the far end's real source (symmetric RTP, RFC 4961), sends with its own SSRC, sequence and
// timestamp, and keeps reception statistics and RTCP reports for call-quality records.
//
// Once latched, the RTP socket is connected to the far end (connect(2) on a UDP socket): every
// send then goes without an address, skipping the per-packet address handling and the kernel's
// route lookup, and the kernel itself drops datagrams from any other source, so nothing foreign
// is relayed or recorded. Such a socket no longer hears other sources at all, so to keep foreign
// traffic visible (`stats.foreign`) the session listens: at every RTCP interval it disconnects for
// LISTEN_MS and counts what arrives from elsewhere; if anything foreign came, it stays unconnected
// (counting every foreign packet) until a whole RTCP interval passes without one, then connects
// again. One socket per port keeps the RTP/RTCP pair (RFC 3550 §11) and symmetric RTP (we send
// from the port we receive on).
//
// The receive path allocates nothing per packet: one header object and one relayed-packet object
// per session are filled in place, and payloads are decoded and transcoded where they lie.
import type dgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import { alawToPcm, pcmToAlaw, pcmToUlaw, ulawToPcm } from './g711.ts';
import { InbandDtmfDetector } from './inband-dtmf.ts';
import { emptyRtpHeader, parseRtpInto, writeRtpHeader, type RtpHeader } from './rtp-packet.ts';
import { ReceptionStats } from './reception-stats.ts';
import { buildCompound, middle32, ntpFromMs, parseCompound, roundTripMs, type ReportBlock } from './rtcp.ts';
import { TelephoneEventReceiver, TelephoneEventSender } from './telephone-event.ts';
import { FRAME_SAMPLES, type PacedTask, type PacingClock, type PacingTimer } from './pacing-clock.ts';
import type { PcmFifo } from './pcm-fifo.ts';
import type { PortPair } from './port-pool.ts';

export type G711 = 'PCMU' | 'PCMA';

/** What the signalling layer negotiated for this session (RFC 3264). */
export interface RtpFormat {
  codec: G711;
  /** The PT to send audio with (0 or 8 for G.711, RFC 3551 §6). */
  payloadType: number;
  /** The PT to send RFC 4733 events with; none when the peer did not offer telephone-event. */
  telephoneEventPt?: number | undefined;
  /** PTs on which events may arrive (either side's SDP). */
  telephoneEventReceivePts: readonly number[];
}

export interface RtpPeer {
  address: string;
  port: number;
  rtcpPort: number;
}

export type DigitSource = 'rfc4733' | 'inband' | 'info';

export interface RtpSessionStats {
  packetsReceived: number;
  octetsReceived: number;
  packetsSent: number;
  octetsSent: number;
  /** Datagrams that are not RTP (or RTCP) at all. */
  malformed: number;
  /** Packets from anyone but the latched source (never relayed, never recorded). */
  foreign: number;
  /** RTP with a payload type that was not negotiated. */
  unknownPayloadType: number;
  /** RFC 3550 §A.3 cumulative loss and §A.8 jitter of what we receive. */
  lost: number;
  jitterMs: number;
  /** As the far end reports them in its RTCP: loss of what we send, its jitter, and the round trip. */
  remoteFractionLost: number | undefined;
  remoteJitterMs: number | undefined;
  roundTripMs: number | undefined;
  /** SSRCs seen from the far end (a change means a new source, e.g. a replay or a transfer). */
  sources: number;
}

/** RFC 3550 §6.2: at least 5 s between compound reports, randomized by 0.5–1.5. */
export const RTCP_INTERVAL_MS = 5000;

/** How long a connected session listens to every source at each RTCP interval (ten packets of a 20 ms stream). */
export const LISTEN_MS = 200;

/**
 * Input for relaying a packet received elsewhere: its header and the buffer to rewrite in place.
 * Valid only during the callback that hands it over (the session reuses it for the next packet).
 */
export interface RelayedPacket {
  buf: Buffer;
  header: RtpHeader;
}

export interface RtpSessionOptions {
  /** Monotonic milliseconds: arrival times (jitter) and the spacing of what we send. */
  now: () => number;
  /** Runs when the session closes. */
  ended: () => void;
  /** Runs once the sockets are closed and the ports may be reused. */
  release: () => void;
  cname: string;
  /** Where the RTCP interval and the listening windows wait. */
  timer: PacingTimer;
  /** The shared 20 ms clock, joined only while RFC 4733 events are being sent. */
  clock: PacingClock;
  /** Uniform in [0, 1): the RTCP interval's randomization (default Math.random). */
  random?: () => number;
}

export class RtpSession {
  readonly port: number;
  readonly ssrc = randomInt(1, 0xffffffff);
  readonly cname: string;
  readonly stats: RtpSessionStats = {
    packetsReceived: 0, octetsReceived: 0, packetsSent: 0, octetsSent: 0, malformed: 0, foreign: 0,
    unknownPayloadType: 0, lost: 0, jitterMs: 0, remoteFractionLost: undefined, remoteJitterMs: undefined, roundTripMs: undefined, sources: 0,
  };

  /** Every accepted audio packet of the negotiated codec, before anything else sees it. */
  onAudio: ((packet: RelayedPacket) => void) | undefined;
  /** Every accepted RFC 4733 packet (for relaying events unchanged to the other leg). */
  onEventPacket: ((packet: RelayedPacket) => void) | undefined;
  /** A key press, reported once as soon as it is known. */
  onDigit: ((digit: string, source: DigitSource) => void) | undefined;

  readonly #pair: PortPair;
  readonly #now: () => number;
  readonly #release: () => void;
  readonly #ended: () => void;
  readonly #timer: PacingTimer;
  readonly #clock: PacingClock;
  readonly #random: () => number;
  #format: RtpFormat | undefined;
  #peer: RtpPeer | undefined;
  #latched: { address: string; port: number } | undefined;
  #rtcpLatched: { address: string; port: number } | undefined;
  /** The RTP socket is connected to `#latched`. */
  #connected = false;
  /** Foreign RTP packets seen (the part of `stats.foreign` that decides listening). */
  #foreignRtp = 0;
  /** `#foreignRtp` when the current listening window or unconnected interval began. */
  #foreignMark = 0;
  #listenWake: { cancel(): void } | undefined;
  #rtcpWake: { cancel(): void } | undefined;
  /** Filled in place for every packet received. */
  readonly #header: RtpHeader = emptyRtpHeader();
  readonly #packet: RelayedPacket = { buf: Buffer.alloc(0), header: this.#header };
  /** The header of what we send, filled in place. */
  readonly #out = { marker: false, payloadType: 0, sequence: 0, timestamp: 0, ssrc: this.ssrc };
  /** Reception statistics per far-end SSRC (a few: a sender may interleave sources). */
  readonly #receptions = new Map<number, ReceptionStats>();
  #reception: ReceptionStats | undefined;
  #remoteSsrc: number | undefined;
  #events = new TelephoneEventReceiver();
  #inband: InbandDtmfDetector | undefined;
  #pcmSinks: ((pcm: Int16Array) => void)[] = [];
  #fifoSinks: PcmFifo[] = [];
  readonly #decoded = new Int16Array(FRAME_SAMPLES * 4);
  /** The first 20 ms of `#decoded`: what a G.711 packet decodes into. */
  readonly #decodedFrame = this.#decoded.subarray(0, FRAME_SAMPLES);
  // Sending: our own sequence and timestamp (RFC 3550 §5.1: random initial values).
  #seq = randomInt(0, 0x10000);
  #ts = randomInt(0, 0x100000000);
  #lastSendMs: number | undefined;
  /** The source of what we last sent: 'local' for our own audio, else a relayed SSRC. */
  #sendSource: number | 'local' | undefined;
  readonly #relayOffsets = new Map<number, { seq: number; ts: number }>();
  readonly #encodeBuf = Buffer.alloc(12 + FRAME_SAMPLES);
  #digitSender: TelephoneEventSender | undefined;
  readonly #digitTask: PacedTask = { tick: () => this.#digitFrame() };
  #leaveClock: (() => void) | undefined;
  #lastSrNtp = 0;
  #lastSrArrivalMs = 0;
  #closed = false;
  #allowSend = true;

  /** The sockets of `pair` must resolve IP literals synchronously (PortPool's do), so a connect takes effect at once. */
  constructor(pair: PortPair, opts: RtpSessionOptions) {
    this.#pair = pair;
    this.port = pair.port;
    this.#now = opts.now;
    this.#release = opts.release;
    this.#ended = opts.ended;
    this.#timer = opts.timer;
    this.#clock = opts.clock;
    this.#random = opts.random ?? Math.random;
    this.cname = opts.cname;
    this.#scheduleRtcp();
    pair.rtp.on('message', (buf, rinfo) => this.#onRtp(buf, rinfo));
    pair.rtcp.on('message', (buf, rinfo) => this.#onRtcp(buf, rinfo));
    // Socket errors (ICMP unreachable surfaces as ECONNREFUSED on some systems) never end the call.
    pair.rtp.on('error', () => {});
    pair.rtcp.on('error', () => {});
  }

  get format(): RtpFormat | undefined {
    return this.#format;
  }

  get peer(): RtpPeer | undefined {
    return this.#latched ? { ...this.#latched, rtcpPort: this.#rtcpLatched?.port ?? this.#latched.port + 1 } : this.#peer;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Whether the RTP socket is connected to the latched source (other sources then never reach the session). */
  get connected(): boolean {
    return this.#connected;
  }

  /**
   * Sets (or, after a re-INVITE, changes) the far end and format. A new address unlatches, so
   * media from the new party is accepted. `send: false` holds our sending (sendonly/inactive peer).
   */
  configure(peer: RtpPeer, format: RtpFormat, opts: { send?: boolean; inbandDtmf?: boolean } = {}): void {
    const moved = !this.#peer || this.#peer.address !== peer.address || this.#peer.port !== peer.port;
    this.#peer = peer;
    this.#format = format;
    this.#allowSend = opts.send ?? true;
    if (moved) this.#unlatch();
    const wantInband = opts.inbandDtmf ?? format.telephoneEventReceivePts.length === 0;
    this.#inband = wantInband ? (this.#inband ?? new InbandDtmfDetector()) : undefined;
    this.#digitSender = format.telephoneEventPt === undefined ? undefined : new TelephoneEventSender({ payloadType: format.telephoneEventPt });
  }

  /** Decoded 8 kHz PCM of every accepted audio packet (detectors, anything that needs the samples at once). */
  addPcmSink(sink: (pcm: Int16Array) => void): () => void {
    this.#pcmSinks = [...this.#pcmSinks, sink];
    return () => { this.#pcmSinks = this.#pcmSinks.filter((s) => s !== sink); };
  }

  /**
   * Every accepted audio packet decoded straight from the datagram into `fifo` (recorder, mixer):
   * one pass per packet, no intermediate copy.
   */
  addFifoSink(fifo: PcmFifo): () => void {
    this.#fifoSinks = [...this.#fifoSinks, fifo];
    return () => { this.#fifoSinks = this.#fifoSinks.filter((f) => f !== fifo); };
  }

  #onRtp(buf: Buffer, rinfo: dgram.RemoteInfo): void {
    const h = this.#header;
    const format = this.#format;
    if (!parseRtpInto(buf, buf.length, h)) { this.stats.malformed++; return; }
    if (!format) { this.stats.unknownPayloadType++; return; }
    const isAudio = h.payloadType === format.payloadType;
    const isEvent = !isAudio && format.telephoneEventReceivePts.includes(h.payloadType);
    if (!isAudio && !isEvent) { this.stats.unknownPayloadType++; return; }
    const latched = this.#latched;
    if (latched) {
      if (rinfo.port !== latched.port || rinfo.address !== latched.address) { this.stats.foreign++; this.#foreignRtp++; return; }
    } else {
      // Symmetric RTP: from now on, this source is the far end (and where we send).
      this.#latched = { address: rinfo.address, port: rinfo.port };
      this.#connect();
    }
    this.stats.packetsReceived++;
    this.stats.octetsReceived += h.payloadLength;
    if (h.ssrc !== this.#remoteSsrc) {
      this.#remoteSsrc = h.ssrc;
      let r = this.#receptions.get(h.ssrc);
      if (!r) {
        if (this.#receptions.size >= 4) this.#receptions.clear();
        r = new ReceptionStats(8000);
        this.#receptions.set(h.ssrc, r);
        this.stats.sources++;
      }
      this.#reception = r;
    }
    const reception = this.#reception!;
    const before = reception.cumulativeLost;
    reception.receive(h.sequence, h.timestamp, this.#now());
    this.stats.lost += reception.cumulativeLost - before;
    this.stats.jitterMs = reception.jitterMs;
    const packet = this.#packet;
    packet.buf = buf;
    if (isEvent) {
      const payload = buf.subarray(h.headerLength, h.headerLength + h.payloadLength);
      const got = this.#events.receive({ marker: h.marker, timestamp: h.timestamp, ssrc: h.ssrc }, payload);
      if (got?.kind === 'begin') this.onDigit?.(got.digit, 'rfc4733');
      this.onEventPacket?.(packet);
      return;
    }
    const fifos = this.#fifoSinks;
    if (fifos.length > 0) {
      const decode = format.codec === 'PCMU' ? ulawToPcm : alawToPcm;
      for (let i = 0; i < fifos.length; i++) fifos[i]!.pushWith(decode, buf, h.headerLength, h.payloadLength);
    }
    if (this.#pcmSinks.length > 0 || this.#inband) {
      const pcm = this.#decode(buf, h);
      if (this.#inband) for (const d of this.#inband.push(pcm)) this.onDigit?.(d, 'inband');
      for (const sink of this.#pcmSinks) sink(pcm);
    }
    this.onAudio?.(packet);
  }

  #decode(buf: Buffer, h: RtpHeader): Int16Array {
    const n = Math.min(h.payloadLength, this.#decoded.length);
    const out = n === FRAME_SAMPLES ? this.#decodedFrame : this.#decoded.subarray(0, n);
    if (this.#format!.codec === 'PCMU') ulawToPcm(buf, out, n, h.headerLength);
    else alawToPcm(buf, out, n, h.headerLength);
    return out;
  }

  /** Connects the RTP socket to the latched source (see the file comment). */
  #connect(): void {
    const to = this.#latched;
    if (!to || this.#connected || this.#closed) return;
    const socket = this.#pair.rtp;
    try {
      socket.connect(to.port, to.address);
      // Throws unless the connection is in place now.
      socket.remoteAddress();
      this.#connected = true;
    } catch {
      // Not connected (an address the kernel refuses): the session goes on sending with addresses.
    }
  }

  #disconnect(): void {
    if (!this.#connected) return;
    this.#connected = false;
    try { this.#pair.rtp.disconnect(); } catch { /* already disconnected by a failed send */ }
  }

  #unlatch(): void {
    this.#latched = undefined;
    this.#rtcpLatched = undefined;
    this.#listenWake?.cancel();
    this.#listenWake = undefined;
    this.#disconnect();
  }

  /**
   * At each RTCP interval: a connected session opens a listening window; one left unconnected by
   * foreign packets connects again once a whole interval passed without any.
   */
  #reviewConnection(): void {
    if (!this.#latched || this.#listenWake) return;
    if (this.#connected) {
      this.#disconnect();
      this.#foreignMark = this.#foreignRtp;
      this.#listenWake = this.#timer.wake(() => {
        this.#listenWake = undefined;
        if (this.#foreignRtp === this.#foreignMark) this.#connect();
      }, LISTEN_MS);
    } else if (this.#foreignRtp === this.#foreignMark) {
      this.#connect();
    } else {
      this.#foreignMark = this.#foreignRtp;
    }
  }

  #onRtcp(buf: Buffer, rinfo: dgram.RemoteInfo): void {
    const parsed = parseCompound(buf);
    if (!parsed.ok) { this.stats.malformed++; return; }
    const latched = this.#rtcpLatched;
    if (latched && (latched.port !== rinfo.port || latched.address !== rinfo.address)) { this.stats.foreign++; return; }
    this.#rtcpLatched = { address: rinfo.address, port: rinfo.port };
    const arrival = ntpFromMs(Date.now());
    for (const p of parsed.packets) {
      if (p.type === 'sr') {
        this.#lastSrNtp = middle32(p.sender.ntpSeconds, p.sender.ntpFraction);
        this.#lastSrArrivalMs = this.#now();
      }
      if (p.type === 'sr' || p.type === 'rr') {
        const mine = p.reports.find((r) => r.ssrc === this.ssrc);
        if (mine) {
          this.stats.remoteFractionLost = mine.fractionLost / 256;
          this.stats.remoteJitterMs = mine.jitter / 8;
          const rtt = roundTripMs(mine, middle32(arrival.seconds, arrival.fraction));
          if (rtt !== undefined) this.stats.roundTripMs = rtt;
        }
      }
    }
  }

  /** The destination for what we send: the latched source, else the SDP's. */
  #target(): { address: string; port: number } | undefined {
    return this.#latched ?? this.#peer;
  }

  /**
   * Advances our timestamp when the source of what we send changes (RFC 3550 §5.1: the timestamp
   * follows the sampling clock, so a pause shows as a jump) and sets the marker for the new talkspurt.
   */
  #switchSource(source: number | 'local'): boolean {
    if (this.#sendSource === source) return false;
    const now = this.#now();
    if (this.#lastSendMs !== undefined) {
      const frames = Math.max(1, Math.round((now - this.#lastSendMs) / 20));
      this.#ts = (this.#ts + frames * FRAME_SAMPLES) >>> 0;
    }
    this.#sendSource = source;
    return true;
  }

  /** Sends 20 ms of our own audio (player, tones, mixer), encoded in the negotiated codec. */
  sendPcm(frame: Int16Array): void {
    const target = this.#target();
    const format = this.#format;
    if (!target || !format || this.#closed || !this.#allowSend || this.#digitSender?.busy) return;
    const marker = this.#switchSource('local');
    if (!marker) this.#ts = (this.#ts + FRAME_SAMPLES) >>> 0;
    const n = frame.length;
    const buf = n === FRAME_SAMPLES ? this.#encodeBuf : Buffer.alloc(12 + n);
    this.#seq = (this.#seq + 1) & 0xffff;
    this.#writeHeader(buf, marker, format.payloadType, this.#seq, this.#ts);
    if (format.codec === 'PCMU') pcmToUlaw(frame, buf, n, 0, 12); else pcmToAlaw(frame, buf, n, 0, 12);
    this.#emit(buf, 12 + n, n, target);
  }

  /**
   * Relays a packet received on another session: rewrites SSRC, sequence, timestamp and payload
   * type in place (RFC 3550 §7.1: a translator keeps the stream's timing but, here, as our own
   * source), mapping the original numbering by a fixed offset so the far end still sees losses.
   */
  relay(packet: RelayedPacket, payloadType: number): void {
    const target = this.#target();
    if (!target || this.#closed || !this.#allowSend) return;
    const h = packet.header;
    const isEvent = payloadType === this.#format?.telephoneEventPt;
    if (!isEvent && this.#digitSender?.busy) return;
    // A sender may interleave SSRCs (audio and events from different generators): each keeps its
    // mapping while we relay; after our own audio, or for a new SSRC, the mapping starts afresh.
    let offsets = this.#sendSource === 'local' ? undefined : this.#relayOffsets.get(h.ssrc);
    let marker = h.marker;
    if (!offsets) {
      this.#switchSource(h.ssrc);
      if (this.#relayOffsets.size >= 4) this.#relayOffsets.clear();
      offsets = { seq: (this.#seq + 1 - h.sequence) & 0xffff, ts: (this.#ts - h.timestamp) >>> 0 };
      this.#relayOffsets.set(h.ssrc, offsets);
      marker = true;
    }
    this.#sendSource = h.ssrc;
    const seq = (h.sequence + offsets.seq) & 0xffff;
    const ts = (h.timestamp + offsets.ts) >>> 0;
    // Track the highest sequence sent so a later switch continues after it.
    if (((seq - this.#seq) & 0xffff) < 0x8000) { this.#seq = seq; this.#ts = ts; }
    const buf = packet.buf;
    this.#writeHeader(buf, marker, payloadType, seq, ts);
    if (h.headerLength > 12) {
      // Our header carries no CSRC or extension: move the payload up behind the fixed header.
      buf.copyWithin(12, h.headerLength, h.headerLength + h.payloadLength);
    }
    this.#emit(buf, 12 + h.payloadLength, h.payloadLength, target);
  }

  #writeHeader(buf: Buffer, marker: boolean, payloadType: number, sequence: number, timestamp: number): void {
    const out = this.#out;
    out.marker = marker;
    out.payloadType = payloadType;
    out.sequence = sequence;
    out.timestamp = timestamp;
    writeRtpHeader(buf, 0, out);
  }

  /** Sends the first `length` bytes of `buf`: without an address while connected (to the latched source). */
  #emit(buf: Buffer, length: number, payloadBytes: number, target: { address: string; port: number }): void {
    this.#lastSendMs = this.#now();
    this.stats.packetsSent++;
    this.stats.octetsSent += payloadBytes;
    const socket = this.#pair.rtp;
    if (this.#connected) {
      if (length === buf.length) socket.send(buf); else socket.send(buf, 0, length);
    } else if (length === buf.length) {
      socket.send(buf, target.port, target.address);
    } else {
      socket.send(buf, 0, length, target.port, target.address);
    }
  }

  /** Whether a key press is being sent as RFC 4733 events (audio is suppressed meanwhile). */
  get sendingDigit(): boolean {
    return this.#digitSender?.busy ?? false;
  }

  /**
   * Queues a key press as RFC 4733 events (§2.5). Returns false when the peer did not negotiate
   * telephone-event; the caller then plays the tone in band. The events are paced by the shared
   * clock, which the session joins only while it has events to send.
   */
  sendDigit(digit: string, durationMs = 100): boolean {
    if (!this.#digitSender || this.#closed) return false;
    const queued = this.#digitSender.start(digit, durationMs);
    if (queued) this.#leaveClock ??= this.#clock.add(this.#digitTask);
    return queued;
  }

  /** One 20 ms frame of RFC 4733 events (§2.5.1: one packet per interval). */
  #digitFrame(): void {
    const sender = this.#digitSender;
    const target = this.#target();
    if (sender?.busy && target && !this.#closed) {
      const marker = this.#switchSource('local');
      if (!marker) this.#ts = (this.#ts + FRAME_SAMPLES) >>> 0;
      const out = sender.next(this.#ts);
      if (out) {
        this.#seq = (this.#seq + 1) & 0xffff;
        const buf = Buffer.alloc(12 + out.payload.length);
        this.#writeHeader(buf, out.marker, this.#format!.telephoneEventPt!, this.#seq, out.timestamp);
        buf.set(out.payload, 12);
        this.#emit(buf, buf.length, out.payload.length, target);
      }
    }
    if (!sender?.busy || this.#closed) { this.#leaveClock?.(); this.#leaveClock = undefined; }
  }

  /** RFC 3550 §6.2: the next compound report 0.5–1.5 × 5 s from now. */
  #scheduleRtcp(): void {
    this.#rtcpWake = this.#timer.wake(() => this.#rtcpDue(), RTCP_INTERVAL_MS * (0.5 + this.#random()));
  }

  #rtcpDue(): void {
    this.#rtcpWake = undefined;
    if (this.#closed) return;
    try {
      this.#sendRtcp(false);
    } catch {
      // A report that cannot be sent (a peer's RTCP port the socket refuses) is skipped, never fatal.
    }
    this.#reviewConnection();
    this.#scheduleRtcp();
  }

  /** Sends a compound report; `done` runs once the datagram has left (or could not be built). */
  #sendRtcp(bye: boolean, done?: () => void): void {
    const target = this.#rtcpLatched ?? (this.#peer ? { address: this.#latched?.address ?? this.#peer.address, port: this.#peer.rtcpPort } : undefined);
    if (!target) { done?.(); return; }
    const reports: ReportBlock[] = [];
    if (this.#reception && this.#remoteSsrc !== undefined) {
      const sinceSr = this.#lastSrNtp ? Math.round(((this.#now() - this.#lastSrArrivalMs) * 65536) / 1000) : 0;
      reports.push(this.#reception.takeReportBlock(this.#remoteSsrc, this.#lastSrNtp, sinceSr));
    }
    const ntp = ntpFromMs(Date.now());
    const sender = this.stats.packetsSent > 0
      ? { ntpSeconds: ntp.seconds, ntpFraction: ntp.fraction, rtpTimestamp: this.#ts, packetCount: this.stats.packetsSent >>> 0, octetCount: this.stats.octetsSent >>> 0 }
      : undefined;
    const packet = buildCompound({ ssrc: this.ssrc, sender, reports, cname: this.cname, bye });
    this.#pair.rtcp.send(packet, target.port, target.address, () => done?.());
  }

  /** Ends the session: RTCP BYE (RFC 3550 §6.6), sockets closed, ports back to the pool. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ended();
    this.onAudio = this.onEventPacket = this.onDigit = undefined;
    this.#pcmSinks = [];
    this.#fifoSinks = [];
    this.#rtcpWake?.cancel();
    this.#rtcpWake = undefined;
    this.#listenWake?.cancel();
    this.#listenWake = undefined;
    this.#leaveClock?.();
    this.#leaveClock = undefined;
    this.#connected = false;
    this.#pair.rtp.close();
    // The port pair goes back to the pool once the BYE has left (closing first would drop it).
    const release = () => { this.#pair.rtcp.close(); this.#release(); };
    try { this.#sendRtcp(true, release); } catch { release(); }
  }
}
