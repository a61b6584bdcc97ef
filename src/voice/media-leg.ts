// The media of one call leg anchored on Switchboard: an RTP session whose SDP we write, so every
// call's audio passes through the media engine (bridging, recording, prompts, DTMF). The UAS side
// answers the caller's offer; the UAC side offers and reads the answer (RFC 3264 §5–§8).
import { randomInt } from 'node:crypto';
import type { MediaEngine, RtpSession } from '../media/index.ts';
import {
  AudioCodec, Direction, answerOffer, createOffer, holdOffer, readAnswer, resumeOffer, serializeSdp,
  type Negotiated, type SessionDescription,
} from '../sip/index.ts';

export type LegResult<T> = { ok: true; value: T } | { ok: false; status: number; detail: string };

const CODECS: readonly AudioCodec[] = [AudioCodec.PCMU, AudioCodec.PCMA];

export class MediaLeg {
  readonly session: RtpSession;
  readonly #engine: MediaEngine;
  /** Our latest description (offer or answer) and, on the offering side, the offer being answered. */
  #local: SessionDescription | undefined;
  #negotiated: Negotiated | undefined;

  private constructor(engine: MediaEngine, session: RtpSession) {
    this.#engine = engine;
    this.session = session;
  }

  static async open(engine: MediaEngine): Promise<MediaLeg> {
    return new MediaLeg(engine, await engine.openSession());
  }

  get negotiated(): Negotiated | undefined {
    return this.#negotiated;
  }

  #describeOpts() {
    return { address: this.#engine.host, port: this.session.port, sessionId: String(randomInt(1, 2 ** 31)), sessionVersion: 1, username: 'switchboard' };
  }

  /** UAS: answers the far end's offer (initial or a re-INVITE); 488/400 when it cannot be met. */
  answer(offer: Buffer): LegResult<Buffer> {
    const base = this.#local ? { ...this.#describeOpts(), sessionId: this.#local.origin.sessionId, sessionVersion: (BigInt(this.#local.origin.sessionVersion) + 1n).toString() } : this.#describeOpts();
    const r = answerOffer(offer.toString('utf8'), { ...base, supported: this.#negotiated ? [this.#negotiated.codec.name, ...CODECS] : CODECS, telephoneEvent: true });
    if (!r.ok) return { ok: false, status: r.reason === 'malformed' ? 400 : 488, detail: r.detail };
    this.#local = r.answer;
    this.#apply(r.negotiated);
    return { ok: true, value: Buffer.from(r.sdp) };
  }

  /** UAC: our initial offer, preferring `codec` (the other leg's, to spare transcoding). */
  offer(codec?: AudioCodec): Buffer {
    const codecs = codec ? [codec, ...CODECS.filter((c) => c !== codec)] : CODECS;
    this.#local = createOffer({ ...this.#describeOpts(), codecs, telephoneEvent: true, ptime: 20 });
    return Buffer.from(serializeSdp(this.#local));
  }

  /** UAC: the far end's answer to our offer. */
  answered(answer: Buffer): LegResult<Negotiated> {
    if (!this.#local) return { ok: false, status: 500, detail: 'no offer was made' };
    const r = readAnswer(this.#local, answer.toString('utf8'));
    if (!r.ok) return { ok: false, status: r.reason === 'malformed' ? 400 : 488, detail: r.detail };
    this.#apply(r.negotiated);
    return { ok: true, value: r.negotiated };
  }

  /** A re-offer of ours putting the far end on hold or back (RFC 3264 §8.4). */
  reoffer(mode: 'hold' | 'inactive' | 'resume'): Buffer | undefined {
    if (!this.#local) return undefined;
    this.#local = mode === 'resume' ? resumeOffer(this.#local) : holdOffer(this.#local, mode === 'hold' ? Direction.SENDONLY : Direction.INACTIVE);
    return Buffer.from(serializeSdp(this.#local));
  }

  #apply(n: Negotiated): void {
    this.#negotiated = n;
    const sends = n.direction === Direction.SENDRECV || n.direction === Direction.SENDONLY;
    this.session.configure(
      { address: n.remote.address, port: n.remote.port, rtcpPort: n.remote.rtcpPort },
      { codec: n.codec.name, payloadType: n.codec.pt, telephoneEventPt: n.telephoneEventPt, telephoneEventReceivePts: n.telephoneEventReceivePts },
      { send: sends },
    );
  }

  close(): void {
    this.session.close();
  }
}
