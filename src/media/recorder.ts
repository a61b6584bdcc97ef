// Stereo call recording: the caller on the left channel, the agent on the right, 8 kHz 16-bit
// PCM WAV, written to a RecordingSink in chunks of at least one second and finished with the WAV
// header on stop. Each channel is fed by the decoded audio of one or more sessions through a
// FIFO and drained one 20 ms frame per tick of the shared clock, so both channels stay aligned
// to the same time line whatever the packet timing. While paused (card numbers being keyed) the
// recording gets silence: neither the voices nor the DTMF tones reach it.
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

export class Recorder implements PacedTask {
  readonly #sink: RecordingSink;
  readonly #chunkFrames: number;
  readonly #fifos: Record<RecordingChannel, PcmFifo> = { left: new PcmFifo(), right: new PcmFifo() };
  readonly #detach: (() => void)[] = [];
  readonly #left = new Int16Array(FRAME_SAMPLES);
  readonly #right = new Int16Array(FRAME_SAMPLES);
  #chunk: Int16Array;
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
    const fifo = this.#fifos[channel];
    this.#detach.push(session.addPcmSink((pcm) => fifo.push(pcm)));
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
    this.#paused = false;
  }

  get durationMs(): number {
    return this.#frames * 20;
  }

  tick(): void {
    this.#fifos.left.pull(this.#left);
    this.#fifos.right.pull(this.#right);
    if (this.#paused) {
      this.#left.fill(0);
      this.#right.fill(0);
      this.#pausedFrames++;
    }
    const chunk = this.#chunk;
    let o = this.#chunkFill * FRAME_SAMPLES * 2;
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      chunk[o++] = this.#left[i]!;
      chunk[o++] = this.#right[i]!;
    }
    this.#frames++;
    if (++this.#chunkFill === this.#chunkFrames) this.#flush();
  }

  #flush(): void {
    if (this.#chunkFill === 0) return;
    const bytes = new Uint8Array(this.#chunk.buffer, 0, this.#chunkFill * FRAME_SAMPLES * 4).slice();
    this.#chunkFill = 0;
    this.#dataBytes += bytes.length;
    this.#writes = this.#writes.then(() => this.#sink.append(littleEndian(bytes))).catch((err: unknown) => { this.#failure ??= err; });
  }

  /** Stops on hang-up: the last partial chunk, then the header; resolves when all is on disk. */
  stop(): Promise<RecordingResult> {
    this.#stopped ??= (async () => {
      this.#unclock();
      for (const d of this.#detach) d();
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

/** WAV samples are little-endian; typed arrays use the host's order. */
function littleEndian(bytes: Uint8Array): Uint8Array {
  if (!bigEndianHost) return bytes;
  for (let i = 0; i + 1 < bytes.length; i += 2) { const t = bytes[i]!; bytes[i] = bytes[i + 1]!; bytes[i + 1] = t; }
  return bytes;
}
