// Stereo call recording: the caller on the left channel, the agent on the right, 8 kHz 16-bit
// PCM WAV, written to a RecordingSink in chunks of at least one second and finished with the WAV
// header on stop. Each channel is fed by one or more sessions through a FIFO (each packet decoded
// straight into it) and drained one 20 ms frame per tick of the shared clock, so both channels stay aligned
// to the same time line whatever the packet timing; each tick interleaves the two FIFOs straight
// into the chunk being filled, and a full chunk goes to the sink as it is (the sink takes it
// before `append` returns, so the one chunk buffer is reused with no copy). Each FIFO holds back
// PLAYOUT_MS before it gives anything (and again after it runs dry): a packet that late, or the
// clock running missed frames back to back after a stalled event loop (it catches up to 100 ms),
// leaves no gap in the file; on stop what is held back is drained into it. While paused (card
// numbers being keyed) the recording gets silence: neither the voices nor the DTMF tones reach it,
// and what arrived meanwhile is dropped on resume.
import { FRAME_SAMPLES, type PacedTask, type PacingClock } from './pacing-clock.ts';
import { PcmFifo } from './pcm-fifo.ts';
import type { RecordingSink } from './recording-store.ts';
import type { RtpSession } from './rtp-session.ts';
import { wavHeader } from './wav.ts';

export type RecordingChannel = 'left' | 'right';

export interface RecordingResult {
  bytes: number;
  sha256: string;
  durationMs: number;
  /** Time spent paused (silence written). */
  pausedMs: number;
}

const SAMPLE_RATE = 8000;
/** How long each channel is held back: the pacing clock's catch-up window (5 frames). */
export const PLAYOUT_MS = 100;
const PLAYOUT_SAMPLES = (PLAYOUT_MS * SAMPLE_RATE) / 1000;
/** Room for the held-back audio and a far end whose clock runs fast, before the oldest samples go. */
const FIFO_SAMPLES = 4 * PLAYOUT_SAMPLES;
const newFifo = () => new PcmFifo(FIFO_SAMPLES, { playoutSamples: PLAYOUT_SAMPLES });

export class Recorder implements PacedTask {
  readonly #sink: RecordingSink;
  readonly #chunkFrames: number;
  readonly #fifos: Record<RecordingChannel, PcmFifo> = { left: newFifo(), right: newFifo() };
  readonly #detach: (() => void)[] = [];
  readonly #chunk: Int16Array;
  #chunkFill = 0;
  #frames = 0;
  #pausedFrames = 0;
  #paused = false;
  #dataBytes = 0;
  #writes: Promise<void> = Promise.resolve();
  #failure: unknown;
  #stopped: Promise<RecordingResult> | undefined;
  #unclock: () => void;

  constructor(sink: RecordingSink, clock: PacingClock, opts: { chunkMs?: number } = {}) {
    this.#sink = sink;
    this.#chunkFrames = Math.max(50, Math.round((opts.chunkMs ?? 1000) / 20));
    this.#chunk = new Int16Array(this.#chunkFrames * FRAME_SAMPLES * 2);
    this.#unclock = clock.add(this);
  }

  /** Feeds a channel with what a session receives. */
  attach(channel: RecordingChannel, session: RtpSession): void {
    this.#detach.push(session.addFifoSink(this.#fifos[channel]));
  }

  /** Feeds a channel directly (audio we generate ourselves, e.g. a prompt played to the caller). */
  feed(channel: RecordingChannel, pcm: Int16Array): void {
    this.#fifos[channel].push(pcm);
  }

  get paused(): boolean {
    return this.#paused;
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    // Held back, it would reach the file now: what was said while paused (card digits) never does.
    this.#fifos.left.clear();
    this.#fifos.right.clear();
  }

  get durationMs(): number {
    return this.#frames * 20;
  }

  tick(): void {
    this.#frame();
  }

  /** Writes one 20 ms frame: each channel's next samples, or silence while paused. */
  #frame(): void {
    const chunk = this.#chunk;
    const o = this.#chunkFill * FRAME_SAMPLES * 2;
    if (this.#paused) {
      this.#fifos.left.discard(FRAME_SAMPLES);
      this.#fifos.right.discard(FRAME_SAMPLES);
      chunk.fill(0, o, o + FRAME_SAMPLES * 2);
      this.#pausedFrames++;
    } else {
      this.#fifos.left.pullInto(chunk, o, 2, FRAME_SAMPLES);
      this.#fifos.right.pullInto(chunk, o + 1, 2, FRAME_SAMPLES);
    }
    this.#frames++;
    if (++this.#chunkFill === this.#chunkFrames) this.#flush();
  }

  #flush(): void {
    if (this.#chunkFill === 0) return;
    const bytes = littleEndian(new Uint8Array(this.#chunk.buffer, 0, this.#chunkFill * FRAME_SAMPLES * 4));
    this.#chunkFill = 0;
    this.#dataBytes += bytes.length;
    // RecordingSink.append takes the bytes before it returns: the chunk buffer is free again.
    const written = this.#sink.append(bytes).catch((err: unknown) => { this.#failure ??= err; });
    this.#writes = this.#writes.then(() => written);
  }

  /** Stops on hang-up: the last partial chunk, then the header; resolves when all is on disk. */
  stop(): Promise<RecordingResult> {
    this.#stopped ??= (async () => {
      this.#unclock();
      for (const d of this.#detach) d();
      const { left, right } = this.#fifos;
      if (this.#paused) {
        left.clear();
        right.clear();
      } else {
        left.release();
        right.release();
        while (left.size > 0 || right.size > 0) this.#frame();
      }
      this.#flush();
      await this.#writes;
      // A failed write leaves the chunks already flushed readable (an incomplete recording).
      if (this.#failure) throw this.#failure;
      const header = wavHeader({ sampleRate: SAMPLE_RATE, channels: 2, format: 'pcm16', dataBytes: this.#dataBytes });
      const done = await this.#sink.finish(header);
      return { bytes: done.bytes, sha256: done.sha256, durationMs: this.#frames * 20, pausedMs: this.#pausedFrames * 20 };
    })();
    return this.#stopped;
  }
}

const bigEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;

/** WAV samples are little-endian; typed arrays use the host's order (swapped in place: the chunk is refilled anyway). */
function littleEndian(bytes: Uint8Array): Uint8Array {
  if (!bigEndianHost) return bytes;
  for (let i = 0; i + 1 < bytes.length; i += 2) { const t = bytes[i]!; bytes[i] = bytes[i + 1]!; bytes[i + 1] = t; }
  return bytes;
}
