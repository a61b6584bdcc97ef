// Audio mixing for more than two parties: each party hears the sum of the parties it is set to
// hear, minus itself (no echo of one's own voice). Covers a supervisor listening (hears both,
// heard by none), whispering (heard by the agent only) and barging in (heard by all), and a
// three-way conference. Decoding, summing with saturation and encoding happen on the shared
// 20 ms clock; while a mixer owns two sessions, no Bridge may relay between them.
import { FRAME_SAMPLES, type PacedTask, type PacingClock } from './pacing-clock.ts';
import { PcmFifo } from './pcm-fifo.ts';
import type { RtpSession } from './rtp-session.ts';

export const MonitorMode = { LISTEN: 'listen', WHISPER: 'whisper', BARGE: 'barge' } as const;
export type MonitorMode = (typeof MonitorMode)[keyof typeof MonitorMode];

interface Party {
  session: RtpSession;
  fifo: PcmFifo;
  frame: Int16Array;
  hears: Set<RtpSession>;
  detach: () => void;
}

export class Mixer implements PacedTask {
  readonly #parties = new Map<RtpSession, Party>();
  readonly #sum = new Int32Array(FRAME_SAMPLES);
  readonly #out = new Int16Array(FRAME_SAMPLES);
  readonly #unclock: () => void;

  constructor(clock: PacingClock) {
    this.#unclock = clock.add(this);
  }

  /** Adds a party that hears nobody yet; `hear` sets who it hears. */
  add(session: RtpSession): void {
    if (this.#parties.has(session)) return;
    const fifo = new PcmFifo();
    this.#parties.set(session, {
      session, fifo, frame: new Int16Array(FRAME_SAMPLES), hears: new Set(),
      detach: session.addFifoSink(fifo),
    });
  }

  remove(session: RtpSession): void {
    const p = this.#parties.get(session);
    if (!p) return;
    p.detach();
    this.#parties.delete(session);
    for (const other of this.#parties.values()) other.hears.delete(session);
  }

  /** Sets exactly whom `listener` hears. */
  hear(listener: RtpSession, speakers: readonly RtpSession[]): void {
    const p = this.#parties.get(listener);
    if (p) p.hears = new Set(speakers.filter((s) => s !== listener && this.#parties.has(s)));
  }

  /** Everyone hears everyone else (a conference, or a supervisor who barged in). */
  hearAll(): void {
    for (const p of this.#parties.values()) this.hear(p.session, [...this.#parties.keys()]);
  }

  /**
   * A supervisor on a caller–agent call: listen (hears both, heard by none), whisper (the agent
   * hears the supervisor, the caller does not), barge (all three hear each other).
   */
  monitor(parties: { caller: RtpSession; agent: RtpSession; supervisor: RtpSession }, mode: MonitorMode): void {
    const { caller, agent, supervisor } = parties;
    for (const s of [caller, agent, supervisor]) this.add(s);
    this.hear(supervisor, [caller, agent]);
    this.hear(caller, mode === 'barge' ? [agent, supervisor] : [agent]);
    this.hear(agent, mode === 'listen' ? [caller] : [caller, supervisor]);
  }

  get size(): number {
    return this.#parties.size;
  }

  tick(): void {
    for (const p of this.#parties.values()) p.fifo.pull(p.frame);
    for (const p of this.#parties.values()) {
      if (p.hears.size === 0) continue;
      const sum = this.#sum;
      sum.fill(0);
      for (const s of p.hears) {
        const f = this.#parties.get(s)!.frame;
        for (let i = 0; i < FRAME_SAMPLES; i++) sum[i]! += f[i]!;
      }
      const out = this.#out;
      for (let i = 0; i < FRAME_SAMPLES; i++) {
        const v = sum[i]!;
        out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
      p.session.sendPcm(out);
    }
  }

  close(): void {
    this.#unclock();
    for (const p of this.#parties.values()) p.detach();
    this.#parties.clear();
  }
}
