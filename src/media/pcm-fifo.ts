// A bounded first-in-first-out of 8 kHz samples between a network source (packets arrive when
// they arrive) and a paced consumer (one 20 ms frame per tick). Beyond `maxSamples` the oldest
// samples go, so a source whose clock runs fast cannot build up delay. A ring buffer written and
// read in at most two runs per call (before and after the wrap), with no division and no
// allocation: `pushWith` converts straight into the ring (G.711 payloads are decoded where they
// land), and `pullInto` writes with a stride, so a consumer interleaves channels in its own buffer.
// With a playout depth the FIFO is also a fixed jitter buffer: it gives silence until it holds that
// many samples, and again after it runs dry, so a packet up to that late (or a paced consumer
// catching up after a stalled event loop) leaves no gap in what comes out.

/** Writes `n` samples converted from `src` at `srcOffset` into `dst` at `dstOffset` (the G.711 decoders have this shape). */
export type SampleConverter<T> = (src: T, dst: Int16Array, n: number, srcOffset: number, dstOffset: number) => void;

/** Copies PCM as it is. */
export const copySamples: SampleConverter<Int16Array> = (src, dst, n, srcOffset, dstOffset) => {
  for (let i = 0; i < n; i++) dst[dstOffset + i] = src[srcOffset + i]!;
};

export class PcmFifo {
  readonly #buf: Int16Array;
  #read = 0;
  #size = 0;
  dropped = 0;
  underruns = 0;
  readonly #playout: number;
  /** Holding back until `#playout` samples are in. */
  #filling: boolean;

  /** `playoutSamples`: how many samples to hold before giving any (0: none, pulls take what is there). */
  constructor(maxSamples = 1600, opts: { playoutSamples?: number } = {}) {
    this.#buf = new Int16Array(maxSamples);
    this.#playout = Math.min(opts.playoutSamples ?? 0, maxSamples);
    this.#filling = this.#playout > 0;
  }

  get size(): number {
    return this.#size;
  }

  push(samples: Int16Array): void {
    this.pushWith(copySamples, samples, 0, samples.length);
  }

  /** Pushes `count` samples that `convert` makes from `src` at `offset`, converted straight into the ring. */
  pushWith<T>(convert: SampleConverter<T>, src: T, offset: number, count: number): void {
    const cap = this.#buf.length;
    // Only the newest `cap` samples can stay: skip the rest of a push larger than the whole FIFO.
    const skip = count > cap ? count - cap : 0;
    const n = count - skip;
    const over = this.#size + n - cap;
    if (over > 0) {
      this.#read += over;
      if (this.#read >= cap) this.#read -= cap;
      this.#size -= over;
    }
    this.dropped += skip + (over > 0 ? over : 0);
    let w = this.#read + this.#size;
    if (w >= cap) w -= cap;
    const first = n < cap - w ? n : cap - w;
    convert(src, this.#buf, first, offset + skip, w);
    if (first < n) convert(src, this.#buf, n - first, offset + skip + first, 0);
    this.#size += n;
    if (this.#filling && this.#size >= this.#playout) this.#filling = false;
  }

  /** Fills `out` (silence where the source fell short); returns how many samples were real. */
  pull(out: Int16Array): number {
    return this.pullInto(out, 0, 1, out.length);
  }

  /**
   * Takes `count` samples into `out[offset]`, `out[offset + stride]`, … (silence where the source
   * fell short); returns how many were real.
   */
  pullInto(out: Int16Array, offset: number, stride: number, count: number): number {
    const buf = this.#buf;
    const cap = buf.length;
    const n = this.#filling ? 0 : count < this.#size ? count : this.#size;
    const r = this.#read;
    const first = n < cap - r ? n : cap - r;
    let o = offset;
    for (let i = r, end = r + first; i < end; i++, o += stride) out[o] = buf[i]!;
    for (let i = 0, end = n - first; i < end; i++, o += stride) out[o] = buf[i]!;
    for (let i = n; i < count; i++, o += stride) out[o] = 0;
    this.#read = r + n >= cap ? r + n - cap : r + n;
    this.#size -= n;
    if (n < count && !this.#filling) {
      this.underruns++;
      if (this.#playout > 0) this.#filling = true;
    }
    return n;
  }

  /** Gives what it holds from now on, held back or not (the source has ended: the rest is drained). */
  release(): void {
    this.#filling = false;
  }

  /** Drops up to `count` of the oldest samples (a consumer that writes silence instead); returns how many. */
  discard(count: number): number {
    const n = count < this.#size ? count : this.#size;
    this.#read += n;
    if (this.#read >= this.#buf.length) this.#read -= this.#buf.length;
    this.#size -= n;
    return n;
  }

  clear(): void {
    this.#read = 0;
    this.#size = 0;
    this.#filling = this.#playout > 0;
  }
}
