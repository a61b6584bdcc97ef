// Two sessions joined: each accepted packet of one is relayed to the other with the other's SSRC,
// sequence, timestamp and payload type (rtp-session.ts `relay`), transcoded in place between µ-law
// and A-law when the legs negotiated different codecs (8 bits to 8 bits: decode, then encode).
// RFC 4733 events are relayed as they came, on the other leg's telephone-event PT.
import { alawToUlaw, ulawToAlaw } from './g711.ts';
import type { RelayedPacket, RtpSession } from './rtp-session.ts';

export class Bridge {
  readonly a: RtpSession;
  readonly b: RtpSession;
  #open = true;
  /** Sessions whose audio is not relayed to the other (muted); their key presses still are. */
  readonly #muted = new Set<RtpSession>();

  constructor(a: RtpSession, b: RtpSession) {
    this.a = a;
    this.b = b;
    a.onAudio = (p) => this.#audio(a, b, p);
    b.onAudio = (p) => this.#audio(b, a, p);
    a.onEventPacket = (p) => this.#event(b, p);
    b.onEventPacket = (p) => this.#event(a, p);
  }

  get open(): boolean {
    return this.#open;
  }

  /** Stops (or resumes) relaying what `session` says to the other side; recorders still hear it. */
  mute(session: RtpSession, muted: boolean): void {
    if (muted) this.#muted.add(session); else this.#muted.delete(session);
  }

  isMuted(session: RtpSession): boolean {
    return this.#muted.has(session);
  }

  #audio(from: RtpSession, to: RtpSession, p: RelayedPacket): void {
    if (this.#muted.has(from)) return;
    const fin = from.format;
    const fout = to.format;
    if (!fin || !fout) return;
    if (fin.codec !== fout.codec) {
      const h = p.header;
      if (fin.codec === 'PCMU') ulawToAlaw(p.buf, p.buf, h.payloadLength, h.headerLength, h.headerLength);
      else alawToUlaw(p.buf, p.buf, h.payloadLength, h.headerLength, h.headerLength);
    }
    to.relay(p, fout.payloadType);
  }

  #event(to: RtpSession, p: RelayedPacket): void {
    const pt = to.format?.telephoneEventPt;
    if (pt !== undefined) to.relay(p, pt);
  }

  /** Stops relaying; the sessions stay open (for a player, another bridge, or hang-up). */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    for (const s of [this.a, this.b]) { s.onAudio = undefined; s.onEventPacket = undefined; }
  }
}
